import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PartialTranscript, TranscriptSegment } from '../../../src-main/contract';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { readWavFile } from '../../../src-main/core/speech/audio/wav-reader';
import { startNodeSpeechWorker } from '../../../src-main/core/speech/worker/node-speech-worker';
import type { SpeechWorkerLauncher } from '../../../src-main/core/speech/worker/speech-worker-protocol';
import { call, makeTempDir, nextEvent, openTestConsole, removeTempDir } from '../../support/temp-console';
import { concatenate, pcmFrames, readClip, sampleRate, silence, speechClipsDir, writeWav } from '../../support/speech-audio';
import { ensureTinyWhisper, tinyWhisperSentence } from '../../support/tiny-whisper';

/** The speech worker as a real thread, remembered so that a test can stop it the hard way. */
let lastThread: Worker | null = null;
const crashableWorker: SpeechWorkerLauncher = () => {
  const { port, thread } = startNodeSpeechWorker();
  lastThread = thread;
  return port;
};
function crashSpeechWorker(): void {
  void lastThread?.terminate();
}

async function storeUpload(app: ConsoleApp, bytes: Uint8Array): Promise<{ uploadId: string }> {
  const stored = await app.storeUpload(
    (async function* () {
      // In pieces, as a network upload arrives.
      for (let start = 0; start < bytes.length; start += 65_536) yield bytes.subarray(start, start + 65_536);
    })(),
  );
  if (!stored.ok) throw new Error(stored.error.message);
  return stored.value;
}

async function readStereo(path: string): Promise<[Float32Array, Float32Array]> {
  const left: Float32Array[] = [];
  const right: Float32Array[] = [];
  for await (const block of readWavFile(path)) {
    left.push(block.channels[0] ?? new Float32Array(0));
    right.push(block.channels[1] ?? new Float32Array(0));
  }
  return [concatenate(...left), concatenate(...right)];
}

/** Calls `send(index)` for each 100 ms frame when its time comes, as a live line delivers audio. */
async function feedInRealTime(frames: number, send: (index: number) => void): Promise<void> {
  const started = performance.now();
  for (let index = 0; index < frames; index += 1) {
    const due = started + index * 100 - performance.now();
    if (due > 0) await new Promise((resolveDue) => setTimeout(resolveDue, due));
    send(index);
  }
}

let dataDir: string;
let app: ConsoleApp;

beforeEach(async () => {
  dataDir = await makeTempDir('hotline-speech-');
  // A models folder with nothing installed: the console must record and let the operator type.
  app = await openTestConsole(dataDir, { modelsDir: join(dataDir, 'no-models-here') });
});

afterEach(async () => {
  await app.close();
  await removeTempDir(dataDir);
});

describe('audio lines without a speech model', () => {
  it('says plainly that there is no model, and still records each line for review', async () => {
    const status = await call(app, 'speech.getStatus', {});
    expect(status).toMatchObject({ state: 'no-model', code: 'SPEECH_NO_MODEL', message: expect.stringContaining('type') });
    expect(await call(app, 'speech.listModels', {})).toEqual([]);

    const started = await call(app, 'calls.start', {});
    const line = await call(app, 'audio.openLine', { callId: started.id, speaker: 'caller' });
    expect(line).toMatchObject({ callId: started.id, speaker: 'caller', state: 'open', message: expect.stringContaining('recorded') });
    const oneSecond = new Float32Array(sampleRate).map((_, index) => 0.25 * Math.sin((2 * Math.PI * 440 * index) / sampleRate));
    for (const frame of pcmFrames(oneSecond)) app.receiveAudio(line.id, frame);
    const closed = await call(app, 'audio.closeLine', { lineId: line.id });
    expect(closed).toMatchObject({ state: 'closed', receivedMs: 1000 });

    const [recording] = await call(app, 'recordings.list', { callId: started.id });
    expect(recording).toMatchObject({ callId: started.id, speaker: 'caller', sampleRate, durationMs: 1000 });
    const path = join(dataDir, recording?.path ?? 'missing');
    expect(existsSync(path)).toBe(true);
    const recorded = await readClip(path);
    expect(recorded.length).toBe(sampleRate);
    // The tone survives the 16-bit round trip.
    expect(Math.max(...recorded.subarray(0, 400))).toBeCloseTo(0.25, 2);
  });

  it('fails only the line on a malformed frame: the call and typing go on', async () => {
    const started = await call(app, 'calls.start', {});
    const line = await call(app, 'audio.openLine', { callId: started.id, speaker: 'operator' });
    const failed = nextEvent(app, 'onAudioLineChanged', (changed) => changed.id === line.id && changed.state === 'failed');
    app.receiveAudio(line.id, new Uint8Array(3)); // an odd number of bytes is not 16-bit PCM
    expect((await failed).message).toMatch(/refused/);
    const typed = await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '电梯坏了' });
    expect(typed.source).toBe('typed');
    await call(app, 'audio.closeLine', { lineId: line.id });
  });

  it('refuses a line for a call that has ended, and closes a call\'s lines when it ends', async () => {
    const started = await call(app, 'calls.start', {});
    const line = await call(app, 'audio.openLine', { callId: started.id, speaker: 'caller' });
    const closed = nextEvent(app, 'onAudioLineChanged', (changed) => changed.id === line.id && changed.state === 'closed');
    await call(app, 'calls.end', { callId: started.id });
    await closed;
    expect(app.hasOpenLine(line.id)).toBe(false);
    const refused = await app.invoke('audio.openLine', { callId: started.id, speaker: 'caller' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CALL_ENDED' } });
  });
});

describe('live recognition through the speech worker', () => {
  let modelsDir: string;
  let speechApp: ConsoleApp;
  let speechDataDir: string;

  beforeAll(async () => {
    modelsDir = dirname(await ensureTinyWhisper());
  }, 300_000);

  beforeEach(async () => {
    speechDataDir = await makeTempDir('hotline-speech-live-');
    speechApp = await openTestConsole(speechDataDir, { modelsDir, launchSpeechWorker: crashableWorker });
    if (speechApp.status.speech.state !== 'ready') {
      await nextEvent(speechApp, 'onSpeechStatusChanged', (status) => status.state === 'ready' || status.state === 'error');
    }
    expect(speechApp.status.speech).toMatchObject({ state: 'ready', model: { engine: 'whisper' } });
  }, 120_000);

  afterEach(async () => {
    await speechApp.close();
    await removeTempDir(speechDataDir);
  });

  it('turns a stereo call fed in real time into segments of the right speaker, in order, at the right times', async () => {
    const callerClip = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
    const operatorClip = await readClip(join(speechClipsDir, 'IT0011W0001.wav'));
    const callerStartMs = 500;
    const callerEndMs = callerStartMs + (callerClip.length / sampleRate) * 1000;
    const operatorStartMs = callerEndMs + 1_000;
    const operatorEndMs = operatorStartMs + (operatorClip.length / sampleRate) * 1000;
    // The two sides of one call as a stereo recording: left the caller, right the operator.
    const stereoPath = join(speechDataDir, 'call.wav');
    await writeWav(stereoPath, [
      concatenate(silence(callerStartMs), callerClip, silence(operatorEndMs + 1_000 - callerEndMs)),
      concatenate(silence(operatorStartMs), operatorClip, silence(1_000)),
    ]);
    const [left, right] = await readStereo(stereoPath);

    const started = await call(speechApp, 'calls.start', {});
    const caller = await call(speechApp, 'audio.openLine', { callId: started.id, speaker: 'caller' });
    const operator = await call(speechApp, 'audio.openLine', { callId: started.id, speaker: 'operator' });
    const segments: TranscriptSegment[] = [];
    const partials: { partial: PartialTranscript; segmentsBefore: number }[] = [];
    const stop = speechApp.subscribe((envelope) => {
      if (envelope.event === 'onTranscriptSegmentAdded') segments.push(envelope.payload as TranscriptSegment);
      if (envelope.event === 'onPartialTranscript') partials.push({ partial: envelope.payload as PartialTranscript, segmentsBefore: segments.length });
    });
    // Real time: each 100 ms frame of both lines leaves when its 100 ms have been "spoken".
    const callerFrames = [...pcmFrames(left)];
    const operatorFrames = [...pcmFrames(right)];
    await feedInRealTime(callerFrames.length, (index) => {
      speechApp.receiveAudio(caller.id, callerFrames[index] ?? new Uint8Array(0));
      speechApp.receiveAudio(operator.id, operatorFrames[index] ?? new Uint8Array(0));
    });
    await Promise.all([call(speechApp, 'audio.closeLine', { lineId: caller.id }), call(speechApp, 'audio.closeLine', { lineId: operator.id })]);
    stop();

    const recordings = await call(speechApp, 'recordings.list', { callId: started.id });
    const offsetOf = (speaker: string) => recordings.find((recording) => recording.speaker === speaker)?.offsetMs ?? 0;
    const onLine = (segment: TranscriptSegment) => ({ startMs: segment.startMs - offsetOf(segment.speaker), endMs: segment.endMs - offsetOf(segment.speaker) });
    const callerSegments = segments.filter((segment) => segment.speaker === 'caller');
    const operatorSegments = segments.filter((segment) => segment.speaker === 'operator');
    expect(callerSegments.length).toBeGreaterThanOrEqual(1);
    expect(operatorSegments.length).toBeGreaterThanOrEqual(1);
    for (const segment of segments) {
      // The test model says 這個電梯壞了 whatever it hears; the console shows it in simplified characters.
      expect(segment).toMatchObject({ callId: started.id, source: 'asr', text: tinyWhisperSentence });
      expect(segment.confidence === null || (segment.confidence >= 0 && segment.confidence <= 1)).toBe(true);
    }
    // Each side's speech where it was spoken (the detector keeps a short lead-in before speech).
    const tolerance = 600;
    expect(onLine(callerSegments[0]!).startMs).toBeGreaterThanOrEqual(callerStartMs - tolerance);
    expect(onLine(callerSegments.at(-1)!).endMs).toBeLessThanOrEqual(callerEndMs + tolerance);
    expect(onLine(operatorSegments[0]!).startMs).toBeGreaterThanOrEqual(operatorStartMs - tolerance);
    expect(onLine(operatorSegments.at(-1)!).endMs).toBeLessThanOrEqual(operatorEndMs + tolerance);
    // While the caller's 4 s sentence was still being spoken, partial text came first.
    const callerPartials = partials.filter(({ partial }) => partial.lineId === caller.id);
    expect(callerPartials.length).toBeGreaterThanOrEqual(1);
    expect(callerPartials[0]).toMatchObject({ segmentsBefore: 0, partial: { speaker: 'caller', text: tinyWhisperSentence } });
    expect(callerPartials[0]!.partial.startMs).toBe(callerSegments[0]!.startMs);
    // The caller spoke first and their words reached the transcript first.
    const stored = await call(speechApp, 'calls.get', { callId: started.id });
    const bySequence = stored.segments.filter((segment) => segment.source === 'asr').map((segment) => segment.speaker);
    expect(bySequence[0]).toBe('caller');
    expect(bySequence.at(-1)).toBe('operator');
  }, 120_000);

  it('imports a recorded call: transcribed into a call of its own, both channels recorded, the upload removed', async () => {
    const callerClip = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
    const operatorClip = await readClip(join(speechClipsDir, 'IT0011W0001.wav'));
    const path = join(speechDataDir, 'recorded-call.wav');
    const callerEndMs = 300 + (callerClip.length / sampleRate) * 1000;
    await writeWav(path, [concatenate(silence(300), callerClip, silence(3_000)), concatenate(silence(callerEndMs + 600), operatorClip, silence(400))]);
    const { uploadId } = await storeUpload(speechApp, await readFile(path));

    const finished = nextEvent(speechApp, 'onRecordingImportChanged', (progress) => progress.state !== 'transcribing');
    const importedCall = await call(speechApp, 'calls.importRecording', { uploadId, fileName: 'recorded-call.wav' });
    expect(await finished).toMatchObject({ callId: importedCall.id, fileName: 'recorded-call.wav', state: 'finished', message: null });

    const { call: ended, segments } = await call(speechApp, 'calls.get', { callId: importedCall.id });
    expect(ended.endedAt).not.toBeNull();
    expect(segments.map((segment) => segment.speaker)).toEqual(['caller', 'operator']);
    expect(segments.every((segment) => segment.source === 'asr' && segment.text === tinyWhisperSentence)).toBe(true);
    expect(segments[1]!.startMs).toBeGreaterThan(callerEndMs);
    const recordings = await call(speechApp, 'recordings.list', { callId: importedCall.id });
    expect(recordings.map((recording) => [recording.speaker, recording.offsetMs])).toEqual([
      ['caller', 0],
      ['operator', 0],
    ]);
    for (const recording of recordings) expect(Math.abs(recording.durationMs - (callerEndMs + 3_000))).toBeLessThan(50);
    expect(readdirSync(join(speechDataDir, 'uploads'))).toEqual([]);
  }, 120_000);

  it('refuses a file that is not audio, saying why, and keeps nothing of it', async () => {
    const { uploadId } = await storeUpload(speechApp, Buffer.from('这不是录音文件'));
    const refused = await speechApp.invoke('calls.importRecording', { uploadId, fileName: 'notes.txt' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUDIO_INVALID', message: expect.stringMatching(/notes\.txt.*WAV/s) } });
    expect(readdirSync(join(speechDataDir, 'uploads'))).toEqual([]);
    const again = await speechApp.invoke('calls.importRecording', { uploadId, fileName: 'notes.txt' });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('reports a crashed recogniser, keeps recording and typing, and comes back', async () => {
    const started = await call(speechApp, 'calls.start', {});
    const line = await call(speechApp, 'audio.openLine', { callId: started.id, speaker: 'caller' });
    const failedLine = nextEvent(speechApp, 'onAudioLineChanged', (changed) => changed.id === line.id && changed.state === 'failed');
    const errorStatus = nextEvent(speechApp, 'onSpeechStatusChanged', (status) => status.state === 'error');
    const readyAgain = nextEvent(speechApp, 'onSpeechStatusChanged', (status) => status.state === 'ready');
    crashSpeechWorker();
    expect((await errorStatus).code).toBe('SPEECH_WORKER_FAILED');
    expect((await failedLine).message).toMatch(/type/);
    for (const frame of pcmFrames(silence(300))) speechApp.receiveAudio(line.id, frame);
    const typed = await call(speechApp, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '刚才说到电梯' });
    expect(typed.source).toBe('typed');
    await readyAgain;
    const closed = await call(speechApp, 'audio.closeLine', { lineId: line.id });
    expect(closed.receivedMs).toBe(300);
    const [recording] = await call(speechApp, 'recordings.list', { callId: started.id });
    expect(recording?.durationMs).toBe(300);
  }, 120_000);
});
