// The AudioWorklet processor that turns a device's audio (44.1 or 48 kHz, one or more channels)
// into 16 kHz mono 16-bit frames of about 100 ms, each with its level, for the page to stream.
// It runs on the audio rendering thread: vite bundles it, with the pure modules it imports, into a
// file of its own that the page loads from its own origin (the page's policy is script-src 'self').
import type { CaptureProcessorOptions, CaptureToPage, PageToCapture } from './capture-messages';
import { captureProcessorName } from './capture-messages';
import { FrameAssembler, mixToMono } from './pcm-frames';
import { StreamingResampler } from './resampler';

// The AudioWorkletGlobalScope's own names, which the DOM typings do not describe.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions?: CaptureProcessorOptions }) => AudioWorkletProcessor,
): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler: StreamingResampler;
  private readonly frames: FrameAssembler;
  private mono = new Float32Array(128);
  private resampled: Float32Array;
  private finished = false;

  constructor(options: { processorOptions?: CaptureProcessorOptions }) {
    super();
    const { outputRate, frameSamples } = options.processorOptions ?? { outputRate: 16_000, frameSamples: 1600 };
    this.resampler = new StreamingResampler(sampleRate, outputRate);
    this.resampled = new Float32Array(this.resampler.maxOutputFor(this.mono.length));
    this.frames = new FrameAssembler(frameSamples, ({ pcm, levelDb }) => {
      const message: CaptureToPage = { type: 'frame', pcm: pcm.buffer as ArrayBuffer, levelDb };
      this.port.postMessage(message, [pcm.buffer]);
    });
    this.port.onmessage = (event: MessageEvent<PageToCapture>) => {
      if (event.data.type === 'flush' && !this.finished) this.finish();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.finished) return false;
    const channels = inputs[0] ?? [];
    // No channels: the source has ended or is not connected yet; there is nothing to send.
    if (channels.length === 0 || channels[0]!.length === 0) return true;
    if (channels[0]!.length !== this.mono.length) {
      this.mono = new Float32Array(channels[0]!.length);
      this.resampled = new Float32Array(this.resampler.maxOutputFor(this.mono.length));
    }
    const mono = mixToMono(channels, this.mono);
    const written = this.resampler.process(mono, this.resampled);
    this.frames.push(this.resampled, written);
    return true;
  }

  private finish(): void {
    this.finished = true;
    const tail = new Float32Array(this.resampler.maxOutputFor(0));
    this.frames.push(tail, this.resampler.flush(tail));
    this.frames.flush();
    const message: CaptureToPage = { type: 'flushed' };
    this.port.postMessage(message);
  }
}

registerProcessor(captureProcessorName, CaptureProcessor);
