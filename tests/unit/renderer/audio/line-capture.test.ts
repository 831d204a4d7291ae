import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleBridge, Recording } from '../../../../src-main/contract';
import type { ConsoleApp } from '../../../../src-main/core/console-app';
import { ApiClient } from '../../../../src-renderer/api/client';
import { createElectronTransport } from '../../../../src-renderer/api/electron-transport';
import { CallAudio, type CallAudioSnapshot } from '../../../../src-renderer/features/audio/call-audio';
import { lineClientFor, LineCapture, type LineCaptureDependencies, type LineCaptureState } from '../../../../src-renderer/features/audio/line-capture';
import { lineStatus } from '../../../../src-renderer/features/audio/line-status';
import type { MicrophoneOptions } from '../../../../src-renderer/features/audio/microphone';
import { call, makeTempDir, openTestConsole, removeTempDir } from '../../../support/temp-console';

// The capture side of a call's audio against the real console core, reached the way the Electron
// app reaches it (the preload's bridge, in process here). Only the microphone is played by the test:
// Node has no audio devices. It hands over frames the way the capture worklet does, and on `stop`
// the last short frame, as the worklet's flush does.

class TestMicrophone {
  stopped = false;
  constructor(readonly options: MicrophoneOptions) {}

  /** One frame of 16-bit samples, all of the same value (so that the recording can be checked). */
  speak(value: number, samples = 1600): void {
    this.options.onFrame(new Int16Array(samples).fill(value).buffer, -20);
  }

  unplug(): void {
    this.options.onEnded();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    // What the worklet still held: a final frame shorter than 100 ms.
    this.speak(99, 800);
    this.stopped = true;
  }
}

let dataDir: string;
let app: ConsoleApp;
let api: ApiClient;
let microphones: TestMicrophone[];
/** What opening the device does next: succeed, or throw this. */
let deviceRefusal: Error | null;

function bridgeTo(consoleApp: ConsoleApp): ConsoleBridge {
  return {
    invoke: (method, request) => consoleApp.invoke(method, request),
    subscribe: (listener) => consoleApp.subscribe(listener),
    sendAudio: (lineId, frame) => consoleApp.receiveAudio(lineId, new Uint8Array(frame)),
    upload: (_fileName, data) =>
      consoleApp.storeUpload(
        (async function* () {
          yield new Uint8Array(data);
        })(),
      ),
  };
}

const dependencies = (): LineCaptureDependencies => ({
  client: lineClientFor(api),
  openMicrophone: async (options) => {
    if (deviceRefusal) throw deviceRefusal;
    const microphone = new TestMicrophone(options);
    microphones.push(microphone);
    return microphone;
  },
});

function until(capture: LineCapture, predicate: (state: LineCaptureState) => boolean): Promise<LineCaptureState> {
  if (predicate(capture.getState())) return Promise.resolve(capture.getState());
  return new Promise((resolve) => {
    const dispose = capture.subscribe(() => {
      if (!predicate(capture.getState())) return;
      dispose();
      resolve(capture.getState());
    });
  });
}

async function recordedSamples(recording: Recording): Promise<Int16Array> {
  const file = await readFile(join(dataDir, recording.path));
  const pcm = file.subarray(44);
  return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
}

// One console for the file (opening one takes a while); every test makes calls of its own.
beforeAll(async () => {
  dataDir = await makeTempDir();
  // An empty models folder: no model, so lines are recorded but not recognised.
  app = await openTestConsole(dataDir, { modelsDir: join(dataDir, 'no-models') });
  api = new ApiClient(createElectronTransport(bridgeTo(app)));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await removeTempDir(dataDir);
});

beforeEach(() => {
  microphones = [];
  deviceRefusal = null;
});

describe('capturing a line of a call', () => {
  it('opens the device, then the line, streams the frames and sends the last samples before the line closes', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const capture = new LineCapture(dependencies(), started.id, 'operator', '');
    await capture.start();
    expect(capture.getState()).toMatchObject({ phase: 'listening', line: { state: 'open', speaker: 'operator' } });
    expect(microphones[0]!.options.processing).toBe('voice');
    // No model: the line is recorded and the operator types.
    expect(lineStatus(capture.getState(), false).kind).toBe('recording-only');

    microphones[0]!.speak(1);
    microphones[0]!.speak(2);
    microphones[0]!.speak(3);
    await capture.stop();

    expect(capture.getState()).toMatchObject({ phase: 'stopped', line: { state: 'closed', receivedMs: 350 } });
    expect(microphones[0]!.stopped).toBe(true);
    const [recording] = await call(app, 'recordings.list', { callId: started.id });
    expect(recording).toMatchObject({ speaker: 'operator', sampleRate: 16_000, durationMs: 350 });
    const samples = await recordedSamples(recording!);
    expect(samples.length).toBe(3 * 1600 + 800);
    expect([samples[0], samples[1600], samples[3200], samples.at(-1)]).toEqual([1, 2, 3, 99]);
  });

  it('takes the caller’s line without voice processing', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const capture = new LineCapture(dependencies(), started.id, 'caller', 'line-in');
    await capture.start();
    expect(microphones[0]!.options).toMatchObject({ deviceId: 'line-in', processing: 'raw' });
    await capture.stop();
  });

  it('says plainly when the microphone is refused, and opens no line', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    deviceRefusal = new DOMException('Permission denied', 'NotAllowedError');
    const capture = new LineCapture(dependencies(), started.id, 'operator', '');
    await capture.start();
    expect(capture.getState()).toMatchObject({ phase: 'failed', problem: { kind: 'permission-denied' }, line: null });
    expect(await call(app, 'recordings.list', { callId: started.id })).toEqual([]);
    await capture.stop();
    expect(capture.getState().phase).toBe('failed');
  });

  it('says so when the chosen device is not there', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    deviceRefusal = Object.assign(new Error('Requested device not found'), { name: 'OverconstrainedError' });
    const capture = new LineCapture(dependencies(), started.id, 'caller', 'gone');
    await capture.start();
    expect(capture.getState()).toMatchObject({ phase: 'failed', problem: { kind: 'device-missing' } });
  });

  it('closes the line and says so when the device is unplugged mid-call; the call goes on', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const capture = new LineCapture(dependencies(), started.id, 'caller', 'line-in');
    await capture.start();
    microphones[0]!.speak(5);
    const failed = until(capture, (state) => state.phase === 'failed');
    microphones[0]!.unplug();
    expect(await failed).toMatchObject({ problem: { kind: 'device-lost' } });
    await capture.stop();

    const [recording] = await call(app, 'recordings.list', { callId: started.id });
    expect(recording!.durationMs).toBeGreaterThanOrEqual(100);
    // Typing still works: the call is not affected.
    await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '我家楼下很吵' });
  });

  it('reports the console refusing the line, and releases the device', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    await call(app, 'calls.end', { callId: started.id });
    const capture = new LineCapture(dependencies(), started.id, 'operator', '');
    await capture.start();
    expect(capture.getState()).toMatchObject({ phase: 'failed', problem: { kind: 'line-refused' } });
    expect(capture.getState().problem!.detail).not.toBe('');
    expect(microphones[0]!.stopped).toBe(true);
  });

  it('releases the device when the call ends on the console’s side', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const capture = new LineCapture(dependencies(), started.id, 'operator', '');
    await capture.start();
    const stopped = until(capture, (state) => state.phase === 'stopped');
    await call(app, 'calls.end', { callId: started.id });
    expect(await stopped).toMatchObject({ line: { state: 'closed' } });
    await capture.stop();
    expect(microphones[0]!.stopped).toBe(true);
  });
});

function untilLines(audio: CallAudio, predicate: (snapshot: CallAudioSnapshot) => boolean): Promise<CallAudioSnapshot> {
  if (predicate(audio.getSnapshot())) return Promise.resolve(audio.getSnapshot());
  return new Promise((resolve) => {
    const dispose = audio.subscribe(() => {
      if (!predicate(audio.getSnapshot())) return;
      dispose();
      resolve(audio.getSnapshot());
    });
  });
}

describe('the lines of a call', () => {
  it('starts a line for each chosen device, and a lost one again when its device is back', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const audio = new CallAudio(dependencies());
    audio.start(started.id, { operator: '', caller: null });
    expect(await untilLines(audio, (snapshot) => snapshot.lines[0]?.phase === 'listening')).toMatchObject({
      callId: started.id,
      active: true,
      lines: [{ speaker: 'operator' }],
    });

    microphones[0]!.unplug();
    expect(await untilLines(audio, (snapshot) => snapshot.lines[0]?.phase === 'failed')).toMatchObject({
      active: false,
      lines: [{ problem: { kind: 'device-lost' } }],
    });

    // Nothing plugged in yet: nothing happens. Then a device appears.
    audio.retryWhereDeviceIsBack([]);
    expect(microphones).toHaveLength(1);
    audio.retryWhereDeviceIsBack([{ deviceId: 'usb-headset', label: 'USB Headset' }]);
    expect(microphones).toHaveLength(2);
    await untilLines(audio, (snapshot) => snapshot.lines[0]?.phase === 'listening');

    await audio.stop();
    expect(audio.getSnapshot().active).toBe(false);
    const recordings = await call(app, 'recordings.list', { callId: started.id });
    expect(recordings.map((recording) => recording.speaker)).toEqual(['operator', 'operator']);
  });

  it('leaves a line off when no device is chosen for it', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const audio = new CallAudio(dependencies());
    audio.start(started.id, { operator: null, caller: 'line-in' });
    const listening = await untilLines(audio, (snapshot) => snapshot.lines[0]?.phase === 'listening');
    expect(listening.lines.map((line) => line.speaker)).toEqual(['caller']);
    await audio.stop();
  });

  it('follows a change of devices in Settings during the call', async () => {
    const started = await call(app, 'calls.start', { callerLine: null });
    const audio = new CallAudio(dependencies());
    // Nothing happens while transcription is off for the call.
    audio.applyDevices({ operator: '', caller: null });
    expect(microphones).toHaveLength(0);

    audio.start(started.id, { operator: '', caller: null });
    await untilLines(audio, (snapshot) => snapshot.lines[0]?.phase === 'listening');
    audio.applyDevices({ operator: null, caller: 'line-in' });
    const changed = await untilLines(
      audio,
      (snapshot) => snapshot.lines.find((line) => line.speaker === 'caller')?.phase === 'listening' && snapshot.lines.find((line) => line.speaker === 'operator')?.phase === 'stopped',
    );
    expect(changed.lines.map((line) => [line.speaker, line.deviceId, line.phase])).toEqual([
      ['operator', '', 'stopped'],
      ['caller', 'line-in', 'listening'],
    ]);
    expect(microphones[0]!.stopped).toBe(true);
    await audio.stop();
  });
});
