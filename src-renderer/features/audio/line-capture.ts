import type { AudioLine, Speaker } from '../../../src-main/contract';
import type { AudioDelivery } from '../../api/audio-sockets';
import { ApiError, type ApiClient } from '../../api/client';
import { classifyMediaError, type CaptureProblem } from './capture-problems';
import type { AudioProcessing, MicrophoneOptions } from './microphone';
import { silenceDb } from './pcm-frames';

/** What a line needs of the console: the API client's audio methods and events. */
export interface LineClient {
  openLine(callId: string, speaker: Speaker): Promise<AudioLine>;
  /** The line as closed, or null when the console had already closed it (with its call). */
  closeLine(lineId: string): Promise<AudioLine | null>;
  sendAudio(lineId: string, frame: ArrayBuffer): void;
  endAudio(lineId: string): Promise<AudioDelivery | null>;
  onLineChanged(listener: (line: AudioLine) => void): () => void;
  onDeliveryChanged(listener: (delivery: AudioDelivery) => void): () => void;
}

export interface OpenedMicrophone {
  stop(): Promise<void>;
}

export interface LineCaptureDependencies {
  client: LineClient;
  openMicrophone: (options: MicrophoneOptions) => Promise<OpenedMicrophone>;
}

export function lineClientFor(api: ApiClient): LineClient {
  return {
    openLine: (callId, speaker) => api.call('audio.openLine', { callId, speaker }),
    async closeLine(lineId) {
      try {
        return await api.call('audio.closeLine', { lineId });
      } catch (error) {
        // Ending the call closes its lines on the console's side too; one already gone is fine.
        if (error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'CALL_ENDED')) return null;
        throw error;
      }
    },
    sendAudio: (lineId, frame) => api.sendAudio(lineId, frame),
    endAudio: (lineId) => api.endAudio(lineId),
    onLineChanged: (listener) => api.subscribe('onAudioLineChanged', listener),
    onDeliveryChanged: (listener) => api.onAudioDeliveryChanged(listener),
  };
}

export type LinePhase =
  /** Opening the device and the line. */
  | 'starting'
  /** Frames are flowing to the console. */
  | 'listening'
  /** Capture stopped on a problem; the call goes on with typing. */
  | 'failed'
  /** Stopped on purpose (call ended, or the operator turned it off). */
  | 'stopped';

export interface LineCaptureState {
  speaker: Speaker;
  deviceId: string;
  phase: LinePhase;
  problem: CaptureProblem | null;
  /** Level of the latest frame, RMS dBFS. */
  levelDb: number;
  /** The console's view of the line: recognition backlog, falling behind, failed. */
  line: AudioLine | null;
  /** How frames are reaching the console (browser mode); null where they need no connection of their own. */
  delivery: AudioDelivery | null;
}

/** The operator's own headset gets voice processing; the caller's line is taken as it comes. */
export function processingFor(speaker: Speaker): AudioProcessing {
  return speaker === 'operator' ? 'voice' : 'raw';
}

function apiProblem(error: unknown): CaptureProblem {
  if (error instanceof ApiError) return { kind: error.code === 'UNAUTHORIZED' ? 'unauthorized' : 'line-refused', detail: error.info.message };
  return classifyMediaError(error);
}

/**
 * One speaker's audio for one call: opens the chosen device, then the line on the console's side
 * (in that order, so that a refused microphone leaves no empty recording behind), streams its
 * frames, and on `stop` hands over the last samples before closing the line. A problem at any step
 * ends in phase `failed` with what happened; nothing here throws at the caller.
 */
export class LineCapture {
  private state: LineCaptureState;
  private readonly listeners = new Set<() => void>();
  private microphone: OpenedMicrophone | null = null;
  private lineId: string | null = null;
  /** Frames go to the console only while this is set: from the line's opening until the device is released. */
  private sending = false;
  private disposers: (() => void)[] = [];
  private stopRequested = false;
  private starting: Promise<void> | null = null;
  private finishing: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly dependencies: LineCaptureDependencies,
    readonly callId: string,
    readonly speaker: Speaker,
    readonly deviceId: string,
  ) {
    this.state = { speaker, deviceId, phase: 'starting', problem: null, levelDb: silenceDb, line: null, delivery: null };
  }

  getState(): LineCaptureState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the line is listening, or has failed (the state says why). Never rejects. */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  /** Ends capture on purpose: the last samples are sent, then the line is closed. Never rejects. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.starting;
    await this.finish(null);
  }

  private async open(): Promise<void> {
    const { client, openMicrophone } = this.dependencies;
    try {
      this.microphone = await openMicrophone({
        deviceId: this.deviceId,
        processing: processingFor(this.speaker),
        onFrame: (pcm, levelDb) => this.onFrame(pcm, levelDb),
        onEnded: () => void this.finish({ kind: 'device-lost', detail: '' }),
      });
    } catch (error) {
      this.update({ phase: 'failed', problem: classifyMediaError(error) });
      this.finishing = Promise.resolve();
      return;
    }
    if (this.stopRequested || this.finishing) return;
    // Events for the line may come before openLine answers: listen first, match the id after.
    this.disposers.push(
      client.onLineChanged((line) => {
        if (line.id === this.lineId) this.onLineChanged(line);
      }),
      client.onDeliveryChanged((delivery) => {
        if (delivery.lineId === this.lineId) this.onDeliveryChanged(delivery);
      }),
    );
    let line: AudioLine;
    try {
      line = await client.openLine(this.callId, this.speaker);
    } catch (error) {
      await this.finish(apiProblem(error));
      return;
    }
    this.lineId = line.id;
    if (this.stopRequested) return;
    if (this.finishing) {
      // The device went away while the line was being opened.
      await this.finishing;
      await this.closeLine();
      return;
    }
    this.sending = true;
    this.update({ phase: 'listening', line });
  }

  private onFrame(pcm: ArrayBuffer, levelDb: number): void {
    if (this.sending && this.lineId !== null) this.dependencies.client.sendAudio(this.lineId, pcm);
    if (this.state.phase === 'starting' || this.state.phase === 'listening') this.update({ levelDb });
  }

  private onLineChanged(line: AudioLine): void {
    this.update({ line });
    // Closed on the console's side (the call ended elsewhere): release the device.
    if (line.state === 'closed') void this.finish(null);
  }

  private onDeliveryChanged(delivery: AudioDelivery): void {
    this.update({ delivery });
    if (delivery.state === 'unknown-line') void this.finish({ kind: 'line-unknown', detail: '' });
    else if (delivery.state === 'unauthorized') void this.finish({ kind: 'unauthorized', detail: '' });
    // The host closed the line's socket because the line was closed on its side.
    else if (delivery.state === 'closed') void this.finish(null);
  }

  /** Releases the device, sends what is left and closes the line; with a problem, the line ends failed. */
  private finish(problem: CaptureProblem | null): Promise<void> {
    this.finishing ??= (async () => {
      this.update(problem ? { phase: 'failed', problem, levelDb: silenceDb } : { phase: 'stopped', levelDb: silenceDb });
      // Releasing the device flushes the worklet, whose last frames still go out while `sending`.
      await this.microphone?.stop().catch(() => undefined);
      this.sending = false;
      for (const dispose of this.disposers.splice(0)) dispose();
      if (this.lineId === null) return;
      const delivery = await this.dependencies.client.endAudio(this.lineId).catch(() => null);
      if (delivery) this.update({ delivery });
      // A line the console no longer knows, or would not let us reach, has nothing to close.
      if (problem?.kind === 'line-unknown' || problem?.kind === 'unauthorized') return;
      if (this.state.line?.state === 'closed') return;
      await this.closeLine();
    })();
    return this.finishing;
  }

  private closeLine(): Promise<void> {
    const lineId = this.lineId;
    if (lineId === null) return Promise.resolve();
    this.closing ??= this.dependencies.client.closeLine(lineId).then(
      (line) => {
        if (line) this.update({ line });
      },
      () => {
        // The console closes a call's lines with the call; one it cannot close now is closed then.
      },
    );
    return this.closing;
  }

  private update(change: Partial<LineCaptureState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
