// Pure helpers of the capture worklet: mixing to mono, 16-bit conversion, loudness and framing.
// Kept apart from the worklet so that they run and are tested in Node.

/** What a silent frame reports, instead of -Infinity. */
export const silenceDb = -100;

/** Averages the channels of one render block into `target` (a single channel is copied). */
export function mixToMono(channels: readonly Float32Array[], target: Float32Array): Float32Array {
  const length = channels[0]?.length ?? 0;
  const mono = target.length === length ? target : new Float32Array(length);
  if (channels.length === 1) {
    mono.set(channels[0]!);
    return mono;
  }
  mono.fill(0);
  for (const channel of channels) {
    for (let index = 0; index < length; index += 1) mono[index]! += channel[index]!;
  }
  const scale = 1 / channels.length;
  for (let index = 0; index < length; index += 1) mono[index]! *= scale;
  return mono;
}

export interface PcmFrame {
  /** 16-bit mono samples; its buffer is the frame's own, so it can be transferred. */
  pcm: Int16Array;
  /** Loudness of the frame, RMS dBFS. */
  levelDb: number;
}

/**
 * Collects samples into frames of a fixed length (100 ms at 16 kHz = 1600 samples) and hands each
 * full frame over, with its level. `flush` hands over what is left, shorter, at the end of a line.
 */
export class FrameAssembler {
  private current: Int16Array;
  private filled = 0;
  private sumOfSquares = 0;

  constructor(
    readonly frameSamples: number,
    private readonly onFrame: (frame: PcmFrame) => void,
  ) {
    if (!Number.isInteger(frameSamples) || frameSamples <= 0) throw new RangeError(`A frame needs a positive whole number of samples (got ${frameSamples})`);
    this.current = new Int16Array(frameSamples);
  }

  push(samples: Float32Array, count = samples.length): void {
    for (let index = 0; index < count; index += 1) {
      const value = samples[index]!;
      const clipped = value > 1 ? 1 : value < -1 ? -1 : value;
      this.current[this.filled] = Math.round(clipped * 32767);
      this.sumOfSquares += clipped * clipped;
      this.filled += 1;
      if (this.filled === this.frameSamples) this.handOver(this.current);
    }
  }

  flush(): void {
    if (this.filled > 0) this.handOver(this.current.slice(0, this.filled));
  }

  private handOver(pcm: Int16Array): void {
    // RMS relative to full scale: a full-scale square wave is 0 dBFS, a full-scale sine about -3.
    const rms = Math.sqrt(this.sumOfSquares / this.filled);
    const levelDb = rms > 0 ? Math.max(silenceDb, 20 * Math.log10(rms)) : silenceDb;
    this.current = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.sumOfSquares = 0;
    this.onFrame({ pcm, levelDb });
  }
}
