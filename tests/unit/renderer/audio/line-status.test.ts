import { describe, expect, it } from 'vitest';
import type { AudioLine } from '../../../../src-main/contract';
import type { LineCaptureState } from '../../../../src-renderer/features/audio/line-capture';
import { lineStatus } from '../../../../src-renderer/features/audio/line-status';

const openLine: AudioLine = {
  id: 'line-1',
  callId: 'call-1',
  speaker: 'caller',
  state: 'open',
  recognised: true,
  receivedMs: 12_000,
  backlogMs: 0,
  fallingBehind: false,
  skippedUtterances: 0,
  message: null,
};

function capture(change: Partial<LineCaptureState> = {}, line: Partial<AudioLine> | null = {}): LineCaptureState {
  return {
    speaker: 'caller',
    deviceId: 'line-in',
    phase: 'listening',
    problem: null,
    levelDb: -30,
    line: line === null ? null : { ...openLine, ...line },
    delivery: null,
    ...change,
  };
}

describe('what a line’s indicator shows', () => {
  it('listening while a model is ready, recording only while none is', () => {
    expect(lineStatus(capture(), true).kind).toBe('listening');
    expect(lineStatus(capture(), false).kind).toBe('recording-only');
    // Opened before a model was ready: the console records it without recognising it, even later.
    expect(lineStatus(capture({}, { recognised: false, message: 'Speech recognition is not available; this line is recorded.' }), true).kind).toBe('recording-only');
  });

  it('a calm warning when recognition falls behind or had to skip utterances', () => {
    expect(lineStatus(capture({}, { fallingBehind: true, skippedUtterances: 2 }), true)).toMatchObject({
      kind: 'listening',
      fallingBehind: true,
      skippedUtterances: 2,
    });
  });

  it('failed, with the console’s words, when the console fails the line while audio still flows', () => {
    expect(lineStatus(capture({}, { state: 'failed', message: 'Speech recognition stopped.' }), true)).toMatchObject({
      kind: 'failed',
      problem: { kind: 'line-failed', detail: 'Speech recognition stopped.' },
    });
  });

  it('failed with the capture’s own problem, and reconnecting or lost audio from the delivery', () => {
    const failed = capture({ phase: 'failed', problem: { kind: 'device-lost', detail: '' } });
    expect(lineStatus(failed, true)).toMatchObject({ kind: 'failed', problem: { kind: 'device-lost' } });
    const reconnecting = capture({ delivery: { lineId: 'line-1', state: 'reconnecting', droppedFrames: 20, droppedMs: 2000 } });
    expect(lineStatus(reconnecting, true)).toMatchObject({ kind: 'listening', reconnecting: true, droppedMs: 2000 });
  });

  it('starting and stopped as they are', () => {
    expect(lineStatus(capture({ phase: 'starting' }, null), true).kind).toBe('starting');
    expect(lineStatus(capture({ phase: 'stopped' }), true).kind).toBe('stopped');
  });
});
