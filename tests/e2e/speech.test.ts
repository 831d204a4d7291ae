import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatenate, readClip, silence, speechClipsDir, writeWav } from '../support/speech-audio';
import { ensureTinyWhisper, tinyWhisperSentence } from '../support/tiny-whisper';
import { LiveCallPage } from './pages/live-call-page';
import { saveScreenshot } from './support/browser';
import { useConsoleFixture } from './support/console-fixture';

/**
 * Chromium's fake microphone plays a WAV file in a loop: here a real Mandarin clip between
 * silences, so that the detector finds utterances and the recogniser (the generated test model,
 * which says 這個電梯壞了 for anything) turns them into transcript lines.
 */
async function fakeMicrophone(): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'hotline-fake-mic-'));
  const path = join(folder, 'caller.wav');
  const clip = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
  await writeWav(path, [concatenate(silence(800), clip, silence(1_500))]);
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${path}`];
}

describe('speech recognition from a microphone', () => {
  const fixture = useConsoleFixture({ modelsDir: async () => dirname(await ensureTinyWhisper()), browserArgs: fakeMicrophone });
  let live: LiveCallPage;

  it('shows the model ready in the header and in Settings', async () => {
    live = new LiveCallPage(fixture.page);
    // The caller's line is the (fake) default input; transcription starts with the call.
    // (The script runs in the page, where localStorage exists.)
    await fixture.page.addInitScript(
      (settings: string) => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('hotline-console.audio-settings', settings),
      JSON.stringify({ devices: { operator: null, caller: { deviceId: '', label: '' } }, autoTranscribe: true }),
    );
    await live.open(fixture.server);
    await fixture.page.locator('[data-testid="speech-state"][data-state="ready"]').waitFor({ timeout: 60_000 });
    await live.byTestId('open-settings').click();
    const status = live.byTestId('speech-model-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('ready');
    expect(await live.byTestId('speech-model-name').textContent()).toContain('whisper-tiny-test');
    await saveScreenshot(fixture.page, '30-speech-settings');
    await fixture.page.keyboard.press('Escape');
    await live.byTestId('settings-drawer').waitFor({ state: 'hidden' });
  });

  it('transcribes the caller line live: recognised lines appear, tagged as speech, under the caller', async () => {
    await live.startCall();
    const line = fixture.page.locator('[data-testid="audio-line"][data-speaker="caller"]');
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 30_000 }).toBe('listening');
    const recognised = fixture.page.locator('[data-testid="transcript-segment"][data-source="asr"]');
    await recognised.first().waitFor({ timeout: 60_000 });
    expect(await recognised.first().getByTestId('segment-text').textContent()).toBe(tinyWhisperSentence);
    expect(await recognised.first().getByTestId('segment-speaker').textContent()).toBe('来电人');
    await saveScreenshot(fixture.page, '31-speech-live-call');

    const callId = await live.callId();
    await live.endCall();
    // The call's audio was recorded for review and replay.
    const response = await fetch(`${fixture.server.origin}/api/invoke/recordings.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.server.token}` },
      body: JSON.stringify({ callId }),
    });
    const recordings = (await response.json()) as { ok: boolean; value: { speaker: string; durationMs: number }[] };
    expect(recordings.value).toEqual([expect.objectContaining({ speaker: 'caller', durationMs: expect.any(Number) })]);
    expect(recordings.value[0]!.durationMs).toBeGreaterThan(1_000);
    expect(fixture.problems).toEqual([]);
  });

  it('imports a recorded call: its two channels become the caller and operator lines of a new call', async () => {
    const caller = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
    const operator = await readClip(join(speechClipsDir, 'IT0011W0001.wav'));
    const folder = mkdtempSync(join(tmpdir(), 'hotline-import-'));
    const path = join(folder, '来电录音.wav');
    const callerEndMs = 400 + (caller.length / 16_000) * 1000;
    await writeWav(path, [concatenate(silence(400), caller, silence(3_000)), concatenate(silence(callerEndMs + 600), operator, silence(400))]);

    await fixture.page.getByTestId('import-recording-file').setInputFiles(path);
    const progress = fixture.page.getByTestId('recording-import');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 60_000 }).toBe('finished');
    expect(await progress.textContent()).toContain('来电录音.wav');
    const recognised = fixture.page.locator('[data-testid="transcript-segment"][data-source="asr"]');
    await expect.poll(() => recognised.getByTestId('segment-speaker').allTextContents()).toEqual(['来电人', '话务员']);
    expect(await recognised.getByTestId('segment-text').allTextContents()).toEqual([tinyWhisperSentence, tinyWhisperSentence]);
    // No microphone joined the imported call, and it ended with its file.
    expect(await fixture.page.getByTestId('audio-line').count()).toBe(0);
    await expect.poll(() => fixture.page.getByTestId('call-state').getAttribute('data-state')).toBe('ended');
    await saveScreenshot(fixture.page, '32-speech-imported-recording');
    expect(fixture.problems).toEqual([]);
  });
});
