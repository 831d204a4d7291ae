import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LiveCallPage } from './pages/live-call-page';
import { saveScreenshot } from './support/browser';
import { useConsoleFixture } from './support/console-fixture';

interface Answer {
  status: number;
  body: { ok: boolean; error?: { code: string; message: string; fieldIssues?: { field: string; issue: string }[] } };
}

/** Posts from inside the page, as a script on it would. */
function postFromPage(live: LiveCallPage, url: string, body: unknown, token: string | null): Promise<Answer> {
  return live.page.evaluate(
    async ({ url, body, token }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    { url, body, token },
  ) as Promise<Answer>;
}

describe('API boundary', () => {
  const fixture = useConsoleFixture();
  let live: LiveCallPage;

  it('rejects calls and event sockets without the right token', async () => {
    live = new LiveCallPage(fixture.page);
    await live.open(fixture.server);
    const url = `${fixture.server.origin}/api/invoke/app.getStatus`;

    const missing = await postFromPage(live, url, {}, null);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    const wrong = await postFromPage(live, url, {}, `${fixture.server.token}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    const socketStatus = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${fixture.server.origin.replace('http', 'ws')}/api/events`);
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('the event socket opened without a token')));
      socket.on('error', () => undefined);
    });
    expect(socketStatus).toBe(401);
  });

  it('answers a malformed payload with VALIDATION_FAILED, and the UI keeps working', async () => {
    await live.startCall();
    const callId = await live.callId();
    expect(callId).not.toBe('');

    const robot = await postFromPage(
      live,
      `${fixture.server.origin}/api/invoke/transcript.addTyped`,
      { callId, speaker: 'robot', text: '我是机器人' },
      fixture.server.token,
    );
    expect(robot.status).toBe(400);
    expect(robot.body.ok).toBe(false);
    expect(robot.body.error?.code).toBe('VALIDATION_FAILED');
    expect(robot.body.error?.fieldIssues?.map((issue) => issue.field)).toContain('speaker');

    const extra = await postFromPage(
      live,
      `${fixture.server.origin}/api/invoke/cases.search`,
      { query: '', surprise: true },
      fixture.server.token,
    );
    expect(extra.body.error?.code).toBe('VALIDATION_FAILED');

    // Nothing the bad request carried reached the transcript, and typing still works.
    await live.typeLine('caller', '刚才那条不应该出现。');
    await live.typeLine('operator', '好的，收到。');
    await expect.poll(() => live.segmentTexts()).toEqual(['刚才那条不应该出现。', '好的，收到。']);
  });

  it('keeps the session across a reload without putting the token back in the address bar', async () => {
    await fixture.page.reload();
    await live.byTestId('start-call').waitFor();
    expect(fixture.page.url()).not.toContain('token');
    expect(await live.byTestId('connection-banner').count()).toBe(0);
    expect(await live.byTestId('station-code').textContent()).toBe('HC01');
  });

  it('says so when the service goes away, and keeps everything typed', async () => {
    await live.startCall();
    await live.fill('callerName', '赵先生');
    await live.fill('summary', '服务断开时正在填写的内容');
    await fixture.server.stop();

    const banner = live.byTestId('connection-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('连接已断开');

    await live.byTestId('save-draft').click();
    const notice = fixture.page.locator('[data-testid="error-notification"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('无法连接本机坐席台服务');
    expect(await live.input('callerName').inputValue()).toBe('赵先生');
    expect(await live.input('summary').inputValue()).toBe('服务断开时正在填写的内容');
    await saveScreenshot(fixture.page, '09-service-gone');
    expect(fixture.problems.filter((problem) => !problem.includes('WebSocket'))).toEqual([]);
  });
});
