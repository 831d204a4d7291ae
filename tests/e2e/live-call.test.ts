import { describe, expect, it } from 'vitest';
import { LiveCallPage } from './pages/live-call-page';
import { saveScreenshot } from './support/browser';
import { useConsoleFixture } from './support/console-fixture';
import { readSampleCall, readSampleCalls } from './support/sample-calls';

describe('live call', () => {
  const fixture = useConsoleFixture();
  let live: LiveCallPage;

  it('opens on the live-call screen, in Chinese, with the token gone from the address bar', async () => {
    live = new LiveCallPage(fixture.page);
    await live.open(fixture.server);
    expect(fixture.page.url()).not.toContain('token=');
    expect(await live.byTestId('nav-live').textContent()).toBe('接听');
    expect(await live.byTestId('station-code').textContent()).toBe('HC01');
    expect(await live.byTestId('speech-state').textContent()).toBe('语音识别未安装，请手动录入');
    expect(await live.byTestId('suggestions-empty').textContent()).toContain('知识库');
    await saveScreenshot(fixture.page, '01-live-call-idle');
  });

  it('plays a sample call at high speed and shows every utterance once, in order', async () => {
    const scripts = readSampleCalls();
    expect(scripts.length).toBeGreaterThan(0);
    const script = readSampleCall(scripts.find((candidate) => candidate.callerLine)?.id ?? scripts[0]!.id);

    await live.startCall();
    await live.playScript(script.id, 50);

    const expectedTexts = script.utterances.map((utterance) => utterance.text);
    await expect.poll(() => live.segmentTexts(), { timeout: 30_000 }).toEqual(expectedTexts);
    await expect.poll(() => live.playbackProgress().getAttribute('data-state')).toBe('finished');
    expect(await live.segmentSpeakers()).toEqual(script.utterances.map((utterance) => utterance.speaker));
    expect(await live.playbackProgress().textContent()).toBe(`播放完毕 ${expectedTexts.length}/${expectedTexts.length}`);

    // Scripted lines carry their source tag and a call-relative time; speakers are labelled.
    const first = live.segments().first();
    expect(await first.getByTestId('segment-source').textContent()).toBe('示例');
    expect(await first.locator('.hc-line__time').textContent()).toMatch(/^\d{2}:\d{2}$/);
    const labels = await live.byTestId('transcript-list').getByTestId('segment-speaker').allTextContents();
    expect(new Set(labels)).toEqual(new Set(script.utterances.map((u) => (u.speaker === 'caller' ? '来电人' : '话务员'))));

    // The last line is in view: the pane followed the transcript while the operator stayed at the bottom.
    await expect.poll(() => live.segments().last().isVisible()).toBe(true);
    const atBottom = await live.byTestId('transcript-scroll').evaluate(
      (element) => element.scrollHeight - element.scrollTop - element.clientHeight <= 40,
    );
    expect(atBottom).toBe(true);
    await saveScreenshot(fixture.page, '02-live-call-sample-played');

    // Someone reading further up is left there when a line arrives, with a way back down.
    const scroller = live.byTestId('transcript-scroll');
    await scroller.evaluate((element) => {
      element.scrollTop = 0;
    });
    await live.typeLine('operator', '请稍等，我看一下前面记录的地址。');
    await expect.poll(() => live.segments().count()).toBe(expectedTexts.length + 1);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
    await live.byTestId('transcript-jump').click();
    await expect
      .poll(() => scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight))
      .toBeLessThanOrEqual(40);
    await live.endCall();
  });

  it('starts a call for a sample played without one, and stops playback on request', async () => {
    const script = readSampleCalls().find((candidate) => candidate.callerLine && candidate.utterances.length > 3);
    expect(script).toBeDefined();
    await live.playScript(script!.id, 1);
    await live.page.locator('[data-testid="call-state"][data-state="active"]').waitFor();
    // The line's number is put into the work order.
    expect(await live.input('callerPhone').inputValue()).toBe(script!.callerLine);
    await live.byTestId('script-stop').click();
    await expect.poll(() => live.playbackProgress().getAttribute('data-state')).toBe('stopped');
    const shown = await live.segments().count();
    expect(shown).toBeLessThan(script!.utterances.length);
    expect(await live.segmentTexts()).toEqual(script!.utterances.slice(0, shown).map((utterance) => utterance.text));
    await live.endCall();
  });

  it('adds typed caller and operator lines in order, each exactly once', async () => {
    await live.startCallWithShortcut();
    await expect.poll(() => live.segments().count()).toBe(0);

    const lines: [('caller' | 'operator'), string][] = [
      ['caller', '你好，我家楼下的路灯坏了一个星期了。'],
      ['operator', '好的，请问具体在哪个位置？'],
      ['caller', '朝阳区望京街道阜通东大街和望京街路口。'],
      ['operator', '我记下了，会转给相关部门处理。'],
    ];
    for (const [speaker, text] of lines) await live.typeLine(speaker, text);

    await expect.poll(() => live.segmentTexts()).toEqual(lines.map(([, text]) => text));
    expect(await live.segmentSpeakers()).toEqual(lines.map(([speaker]) => speaker));
    const ids = await live.segments().evaluateAll((items) => items.map((item) => item.getAttribute('data-segment-id')));
    expect(new Set(ids).size).toBe(lines.length);
    // Typed lines need no source tag.
    expect(await live.segments().first().getByTestId('segment-source').count()).toBe(0);

    // The Send button works as well as Enter.
    await fixture.page.keyboard.press('Alt+1');
    await live.byTestId('typing-input').fill('谢谢。');
    await live.byTestId('typing-send').click();
    await expect.poll(() => live.segmentTexts()).toEqual([...lines.map(([, text]) => text), '谢谢。']);
    await saveScreenshot(fixture.page, '03-live-call-typed');

    await live.endCall();
    expect(await live.byTestId('typing-input').isDisabled()).toBe(true);
    expect(fixture.problems).toEqual([]);
  });
});
