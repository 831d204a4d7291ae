import type { Speaker } from '../../../src-main/contract';
import type { AudioInput } from './audio-inputs';
import { LineCapture, type LineCaptureDependencies, type LineCaptureState } from './line-capture';

/** The lines in the order the UI shows them: the operator's own headset first, then the caller. */
export const lineSpeakers: readonly Speaker[] = ['operator', 'caller'];

export interface CallAudioSnapshot {
  callId: string | null;
  /** True while any line is starting or listening. */
  active: boolean;
  /** The latest state of each line started for the call, in `lineSpeakers` order. */
  lines: LineCaptureState[];
}

const problemsFixedByReplugging = new Set(['device-lost', 'device-missing', 'no-input']);

/**
 * The audio lines of the current call, one per speaker. Starting a line again (manual retry, or
 * its device coming back) replaces the old capture with a fresh line on the console's side.
 */
export class CallAudio {
  private callId: string | null = null;
  private readonly captures = new Map<Speaker, { capture: LineCapture; dispose: () => void }>();
  private readonly listeners = new Set<() => void>();
  private snapshot: CallAudioSnapshot = { callId: null, active: false, lines: [] };

  constructor(private readonly dependencies: LineCaptureDependencies) {}

  readonly getSnapshot = (): CallAudioSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Starts a line for every speaker given a device (null: that line stays off). */
  start(callId: string, devices: Record<Speaker, string | null>): void {
    if (this.callId !== callId) {
      // A new call: the previous call's lines were stopped when it ended; forget them.
      for (const { dispose } of this.captures.values()) dispose();
      this.captures.clear();
      this.callId = callId;
    }
    for (const speaker of lineSpeakers) {
      const deviceId = devices[speaker];
      if (deviceId === null) continue;
      const existing = this.captures.get(speaker)?.capture.getState().phase;
      if (existing === 'starting' || existing === 'listening') continue;
      this.startLine(speaker, deviceId);
    }
    this.publish();
  }

  /**
   * Follows a change of devices in Settings during the call: a line whose device changed starts
   * again on the new one, a line turned off stops. Only while transcription is on for the call.
   */
  applyDevices(devices: Record<Speaker, string | null>): void {
    if (this.callId === null || !this.snapshot.active) return;
    for (const speaker of lineSpeakers) {
      const entry = this.captures.get(speaker);
      const deviceId = devices[speaker];
      const phase = entry?.capture.getState().phase;
      if (deviceId === null) {
        if (entry && phase !== 'stopped') void entry.capture.stop();
      } else if (!entry || phase === 'stopped' || entry.capture.deviceId !== deviceId) {
        this.restart(speaker, deviceId);
      }
    }
  }

  /** Starts one line again with this device (after a failure, or with another device). */
  restart(speaker: Speaker, deviceId: string): void {
    if (this.callId === null) return;
    const previous = this.captures.get(speaker);
    if (previous) void previous.capture.stop();
    this.startLine(speaker, deviceId);
    this.publish();
  }

  /**
   * A device was plugged in: each line that failed because its device was missing or unplugged is
   * started again if that device is back (any input will do for the system default).
   */
  retryWhereDeviceIsBack(inputs: readonly AudioInput[]): void {
    if (this.callId === null) return;
    for (const [speaker, { capture }] of this.captures) {
      const state = capture.getState();
      if (state.phase !== 'failed' || !state.problem || !problemsFixedByReplugging.has(state.problem.kind)) continue;
      const back = state.deviceId === '' ? inputs.length > 0 : inputs.some((input) => input.deviceId === state.deviceId);
      if (back) this.restart(speaker, state.deviceId);
    }
  }

  /** Stops every line; resolves once each has sent its last samples and been closed. */
  async stop(): Promise<void> {
    await Promise.all([...this.captures.values()].map(({ capture }) => capture.stop()));
  }

  private startLine(speaker: Speaker, deviceId: string): void {
    const capture = new LineCapture(this.dependencies, this.callId!, speaker, deviceId);
    this.captures.get(speaker)?.dispose();
    this.captures.set(speaker, { capture, dispose: capture.subscribe(() => this.publish()) });
    void capture.start();
  }

  private publish(): void {
    const lines = lineSpeakers.flatMap((speaker) => {
      const entry = this.captures.get(speaker);
      return entry ? [entry.capture.getState()] : [];
    });
    this.snapshot = {
      callId: this.callId,
      active: lines.some((line) => line.phase === 'starting' || line.phase === 'listening'),
      lines,
    };
    for (const listener of [...this.listeners]) listener();
  }
}
