/**
 * The recent part of a sample stream, addressed by absolute sample index: appended at the end,
 * trimmed at the front. Holds only what an utterance (with its pre-roll) may still need.
 */
export class SampleWindow {
  private buffer = new Float32Array(16_000);
  /** Absolute index of buffer[0]. */
  private first = 0;
  private length = 0;

  /** One past the last sample held, as an absolute index. */
  get end(): number {
    return this.first + this.length;
  }

  get start(): number {
    return this.first;
  }

  append(samples: Float32Array): void {
    const needed = this.length + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length = needed;
  }

  /** Forgets everything before `absoluteIndex`. */
  dropBefore(absoluteIndex: number): void {
    const drop = Math.min(this.length, absoluteIndex - this.first);
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.first += drop;
  }

  /** A copy of samples [from, to) (absolute), clamped to what is held. */
  copy(from: number, to: number): Float32Array {
    const start = Math.max(from, this.first) - this.first;
    const stop = Math.min(to, this.end) - this.first;
    return stop > start ? this.buffer.slice(start, stop) : new Float32Array(0);
  }
}
