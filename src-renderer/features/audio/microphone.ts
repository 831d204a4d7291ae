import type { audioSampleRate } from '../../../src-main/contract';
import { captureProcessorName, type CaptureProcessorOptions, type CaptureToPage, type PageToCapture } from './capture-messages';
import { CaptureError, classifyMediaError } from './capture-problems';
import captureWorkletUrl from './capture.worklet.ts?worker&url';

// The contract's constant may not be imported at run time; the type keeps this copy honest.
const outputRate: typeof audioSampleRate = 16_000;
/** About 100 ms a frame: short enough for live text, long enough not to flood the socket. */
const frameSamples = outputRate / 10;
/** How long stopping waits for the worklet to hand over its last samples. */
const flushLimitMs = 500;

/**
 * How the browser treats the sound before we get it. The operator's headset benefits from echo
 * cancellation and noise suppression; the caller's line is already a telephone signal, and the
 * same processing would eat into the caller's speech (and cancel the operator's voice as "echo").
 */
export type AudioProcessing = 'voice' | 'raw';

export interface MicrophoneOptions {
  /** A device id from enumerateDevices, or '' for the system's default input. */
  deviceId: string;
  processing: AudioProcessing;
  /** A frame of 16-bit mono PCM at 16 kHz (its own buffer) and its RMS level in dBFS. */
  onFrame: (pcm: ArrayBuffer, levelDb: number) => void;
  /** The device went away (unplugged, or revoked); no more frames will come. */
  onEnded: () => void;
}

export function audioConstraints(deviceId: string, processing: AudioProcessing): MediaTrackConstraints {
  const voice = processing === 'voice';
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: voice,
    noiseSuppression: voice,
    autoGainControl: voice,
  };
}

/**
 * One input device, opened and running through the capture worklet. `open` rejects with a
 * `CaptureError` that says why (no permission, no such device, busy, unsupported).
 */
export class Microphone {
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly stream: MediaStream,
    private readonly context: AudioContext,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
  ) {}

  /** The device's own rate, which the worklet converts from. */
  get deviceRate(): number {
    return this.context.sampleRate;
  }

  get label(): string {
    return this.stream.getAudioTracks()[0]?.label ?? '';
  }

  static async open(options: MicrophoneOptions): Promise<Microphone> {
    const mediaDevices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (!mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      throw new CaptureError({ kind: 'unsupported', detail: 'navigator.mediaDevices.getUserMedia or AudioWorklet is missing' });
    }
    let stream: MediaStream;
    try {
      stream = await mediaDevices.getUserMedia({ audio: audioConstraints(options.deviceId, options.processing), video: false });
    } catch (error) {
      throw new CaptureError(classifyMediaError(error, options.deviceId));
    }
    let context: AudioContext | null = null;
    try {
      context = new AudioContext({ latencyHint: 'interactive' });
      await context.audioWorklet.addModule(captureWorkletUrl);
      const source = context.createMediaStreamSource(stream);
      const processorOptions: CaptureProcessorOptions = { outputRate, frameSamples };
      // No outputs: the node only listens, and Chromium pulls such a node on its own.
      const node = new AudioWorkletNode(context, captureProcessorName, { numberOfInputs: 1, numberOfOutputs: 0, processorOptions });
      const microphone = new Microphone(stream, context, source, node);
      node.port.onmessage = (event: MessageEvent<CaptureToPage>) => {
        if (event.data.type === 'frame') options.onFrame(event.data.pcm, event.data.levelDb);
      };
      for (const track of stream.getAudioTracks()) {
        track.addEventListener('ended', () => {
          if (!microphone.stopping) options.onEnded();
        });
      }
      source.connect(node);
      // A context made without a fresh user gesture may start suspended; it runs once allowed.
      if (context.state === 'suspended') void context.resume().catch(() => undefined);
      return microphone;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      void context?.close().catch(() => undefined);
      // The device is fine here; it is the page's audio processing that did not start.
      throw new CaptureError({ kind: 'capture-failed', detail: error instanceof Error ? error.message || error.name : String(error) });
    }
  }

  /**
   * Hands over the last samples (the short final frame), then releases the device. Safe to call
   * more than once.
   */
  stop(): Promise<void> {
    this.stopping ??= this.release();
    return this.stopping;
  }

  private async release(): Promise<void> {
    const deviceStillThere = this.stream.getAudioTracks().some((track) => track.readyState === 'live');
    if (deviceStillThere && this.context.state === 'running') {
      await new Promise<void>((resolve) => {
        const limit = setTimeout(resolve, flushLimitMs);
        const previous = this.node.port.onmessage;
        this.node.port.onmessage = (event: MessageEvent<CaptureToPage>) => {
          previous?.call(this.node.port, event);
          if (event.data.type === 'flushed') {
            clearTimeout(limit);
            resolve();
          }
        };
        const flush: PageToCapture = { type: 'flush' };
        this.node.port.postMessage(flush);
      });
    }
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.port.close();
    for (const track of this.stream.getTracks()) track.stop();
    await this.context.close().catch(() => undefined);
  }
}
