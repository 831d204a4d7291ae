import type { WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LiveCallPage } from './pages/live-call-page';
import { valueOf } from './support/api';
import { saveScreenshot } from './support/browser';
import { useConsoleFixture } from './support/console-fixture';

describe('event channel', () => {
  const fixture = useConsoleFixture();

  it('reconnects after the socket drops and fetches what was said meanwhile', async () => {
    const live = new LiveCallPage(fixture.page);
    // The event socket goes through a route the test can cut, and refuse while it wants it down.
    let socket: WebSocketRoute | null = null;
    let refuse = false;
    let connections = 0;
    await fixture.page.routeWebSocket(/\/api\/events/, (route) => {
      if (refuse) {
        void route.close({ code: 1013, reason: 'test: down' });
        return;
      }
      connections += 1;
      socket = route;
      route.connectToServer();
    });
    await live.open(fixture.server);
    await expect.poll(() => connections).toBe(1);

    await live.startCall();
    await live.typeLine('caller', '断线之前说的话。');
    await expect.poll(() => live.segmentTexts()).toEqual(['断线之前说的话。']);

    refuse = true;
    await socket!.close({ code: 1006, reason: 'test: dropped' });
    await live.byTestId('connection-banner').waitFor();
    await live.fill('summary', '断线期间填写的内容');

    // A line is added while the page cannot hear events: its event is lost to the page.
    await valueOf(fixture.server, 'transcript.addTyped', {
      callId: await live.callId(),
      speaker: 'operator',
      text: '断线期间说的话。',
    });
    await saveScreenshot(fixture.page, '14-event-channel-down');
    expect(await live.segmentTexts()).toEqual(['断线之前说的话。']);

    refuse = false;
    await expect.poll(() => connections, { timeout: 30_000 }).toBe(2);
    await live.byTestId('connection-banner').waitFor({ state: 'detached' });
    await expect.poll(() => live.segmentTexts()).toEqual(['断线之前说的话。', '断线期间说的话。']);
    // The suggestions catch up too: they now take both lines into account.
    await expect.poll(() => live.byTestId('suggestions-results').getAttribute('data-segment-count')).toBe('2');
    expect(await live.input('summary').inputValue()).toBe('断线期间填写的内容');

    // Events flow again.
    await live.typeLine('caller', '重新连上之后说的话。');
    await expect
      .poll(() => live.segmentTexts())
      .toEqual(['断线之前说的话。', '断线期间说的话。', '重新连上之后说的话。']);
    expect(fixture.problems.filter((problem) => !problem.includes('WebSocket'))).toEqual([]);
  });
});
