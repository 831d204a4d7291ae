// Band-limited sample-rate conversion (windowed-sinc, polyphase) that runs chunk by chunk.
//
// Why not linear interpolation: taking 48 kHz or 44.1 kHz audio down to 16 kHz without a low-pass
// filter folds everything above 8 kHz (sibilants, line noise) back into the speech band, which
// hurts both the voice-activity model and the recogniser. Here every output sample is a Kaiser-
// windowed sinc interpolation of the input, with the cut-off set below the lower of the two Nyquist
// frequencies, so the same code up-samples 8 kHz telephone audio and down-samples 48 kHz capture.
//
// The ratio is reduced to integers (to/from = up/down): output sample n sits at input position
// n·down/up, whose fractional part is one of `up` phases. The weights of each phase are computed
// once. Streaming keeps the input needed by the next outputs, so the output is bit-for-bit the same
// whether the input arrives at once or a sample at a time.

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side of the centre: longer is sharper and costlier. */
  zeroCrossings?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency (0.9 at 16 kHz: flat to ~6.5 kHz, stop from ~8 kHz). */
  cutoff?: number;
  /** Kaiser window shape: higher buys stop-band attenuation with a wider transition. */
  kaiserBeta?: number;
}

// Above this many stored weights (phases × taps) the weights are computed per output sample
// instead; only unusual rate pairs (large reduced ratios) get there.
const maxTableSize = 1 << 20;

/** Modified Bessel function of the first kind, order 0 (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 64; k += 1) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checkRate(rate: number, name: string): void {
  if (!Number.isInteger(rate) || rate <= 0 || rate > 1_000_000) {
    throw new RangeError(`The ${name} sample rate ${rate} is not usable: give a whole number of hertz between 1 and 1,000,000.`);
  }
}

export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  private readonly up: number;
  private readonly down: number;
  /** Taps on each side: output n uses input (i - reach + 1) … (i + reach), i = floor(n·down/up). */
  private readonly reach: number;
  private readonly taps: number;
  /** Per phase: `taps` weights; null when computed on the fly. */
  private readonly table: Float64Array | null;
  private readonly scratch: Float64Array;
  private readonly kernel: (x: number) => number;

  /** Input kept for the next outputs; history[0] is input sample `historyStart` (negative: zero padding). */
  private history = new Float32Array(0);
  private historyStart = 0;
  private historyLength = 0;
  private received = 0;
  /** Next output sample: n, with integer part and phase of its input position. */
  private produced = 0;
  private position = 0;
  private phase = 0;

  constructor(fromRate: number, toRate: number, options: ResamplerOptions = {}) {
    checkRate(fromRate, 'input');
    checkRate(toRate, 'output');
    this.fromRate = fromRate;
    this.toRate = toRate;
    const divisor = greatestCommonDivisor(fromRate, toRate);
    this.up = toRate / divisor;
    this.down = fromRate / divisor;

    const zeroCrossings = options.zeroCrossings ?? 24;
    const cutoff = options.cutoff ?? 0.9;
    const beta = options.kaiserBeta ?? 8;
    // Cut-off in cycles per input sample.
    const cutoffFrequency = 0.5 * cutoff * Math.min(1, toRate / fromRate);
    const halfWidth = zeroCrossings / (2 * cutoffFrequency);
    const windowScale = 1 / besselI0(beta);
    this.kernel = (x: number) => {
      const ratio = x / halfWidth;
      if (ratio <= -1 || ratio >= 1) return 0;
      const argument = 2 * cutoffFrequency * x;
      const sinc = argument === 0 ? 1 : Math.sin(Math.PI * argument) / (Math.PI * argument);
      return 2 * cutoffFrequency * sinc * besselI0(beta * Math.sqrt(1 - ratio * ratio)) * windowScale;
    };
    this.reach = Math.ceil(halfWidth);
    this.taps = 2 * this.reach;
    this.scratch = new Float64Array(this.taps);
    if (this.up * this.taps <= maxTableSize) {
      this.table = new Float64Array(this.up * this.taps);
      for (let phase = 0; phase < this.up; phase += 1) {
        this.table.set(this.phaseWeights(phase), phase * this.taps);
      }
    } else {
      this.table = null;
    }
    this.reset();
  }

  /** Resamples the next piece of the stream; returns the output samples that are now complete. */
  process(input: Float32Array): Float32Array {
    if (this.isPassThrough()) {
      this.received += input.length;
      return input.slice();
    }
    this.append(input, input.length);
    this.received += input.length;
    return this.produce(Number.POSITIVE_INFINITY);
  }

  /** Ends the stream: returns the last outputs (the input is taken as silent beyond its end) and starts afresh. */
  flush(): Float32Array {
    if (this.isPassThrough()) {
      this.reset();
      return new Float32Array(0);
    }
    const total = Math.ceil((this.received * this.up) / this.down);
    this.append(new Float32Array(this.taps), this.taps);
    const output = this.produce(total);
    this.reset();
    return output;
  }

  /** How many output samples `inputLength` input samples make in all (process + flush). */
  outputLength(inputLength: number): number {
    return Math.ceil((inputLength * this.up) / this.down);
  }

  private isPassThrough(): boolean {
    return this.up === this.down;
  }

  private reset(): void {
    // Zero padding before the first sample, so that the first outputs have their left-hand taps.
    const padding = this.reach - 1;
    this.history = new Float32Array(Math.max(4096, padding * 2));
    this.historyStart = -padding;
    this.historyLength = padding;
    this.received = 0;
    this.produced = 0;
    this.position = 0;
    this.phase = 0;
  }

  private phaseWeights(phase: number): Float64Array {
    const weights = this.scratch;
    const fraction = phase / this.up;
    let sum = 0;
    for (let tap = 0; tap < this.taps; tap += 1) {
      const weight = this.kernel(tap - this.reach + 1 - fraction);
      weights[tap] = weight;
      sum += weight;
    }
    // Unit gain at DC in every phase, so a constant input stays exactly constant.
    for (let tap = 0; tap < this.taps; tap += 1) weights[tap] = weights[tap]! / sum;
    return weights;
  }

  private append(input: Float32Array, length: number): void {
    const needed = this.historyLength + length;
    if (needed > this.history.length) {
      const grown = new Float32Array(Math.max(needed, this.history.length * 2));
      grown.set(this.history.subarray(0, this.historyLength));
      this.history = grown;
    }
    this.history.set(input.subarray(0, length), this.historyLength);
    this.historyLength += length;
  }

  /** Computes every output whose taps are all available, up to `limit` outputs in all. */
  private produce(limit: number): Float32Array {
    const available = this.historyStart + this.historyLength; // one past the last input held
    // Output n is complete when floor(n·down/up) + reach <= available - 1; the largest such n:
    const lastPosition = available - 1 - this.reach;
    const lastOutput = lastPosition < 0 ? -1 : Math.floor(((lastPosition + 1) * this.up - 1) / this.down);
    const count = Math.max(0, Math.min(limit, lastOutput + 1) - this.produced);
    const output = new Float32Array(count);
    const { taps, reach, up, down, table, history } = this;
    let position = this.position;
    let phase = this.phase;
    for (let written = 0; written < count; written += 1) {
      const base = position - reach + 1 - this.historyStart;
      const weights = table ?? this.phaseWeights(phase);
      const offset = table ? phase * taps : 0;
      // Four running sums: independent additions let the JIT overlap them (about twice as fast).
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      let tap = 0;
      for (; tap + 3 < taps; tap += 4) {
        sum0 += weights[offset + tap]! * history[base + tap]!;
        sum1 += weights[offset + tap + 1]! * history[base + tap + 1]!;
        sum2 += weights[offset + tap + 2]! * history[base + tap + 2]!;
        sum3 += weights[offset + tap + 3]! * history[base + tap + 3]!;
      }
      for (; tap < taps; tap += 1) sum0 += weights[offset + tap]! * history[base + tap]!;
      output[written] = sum0 + sum1 + (sum2 + sum3);
      phase += down;
      if (phase >= up) {
        position += Math.floor(phase / up);
        phase %= up;
      }
    }
    this.produced += count;
    this.position = position;
    this.phase = phase;
    // Drop input that no later output needs.
    const keepFrom = position - reach + 1;
    const drop = Math.min(this.historyLength, Math.max(0, keepFrom - this.historyStart));
    if (drop > 0) {
      history.copyWithin(0, drop, this.historyLength);
      this.historyLength -= drop;
      this.historyStart += drop;
    }
    return output;
  }
}

/** One-shot conversion of a whole signal (the same samples a StreamingResampler gives). */
export function resample(samples: Float32Array, fromRate: number, toRate: number, options?: ResamplerOptions): Float32Array {
  const resampler = new StreamingResampler(fromRate, toRate, options);
  const head = resampler.process(samples);
  const tail = resampler.flush();
  const output = new Float32Array(head.length + tail.length);
  output.set(head);
  output.set(tail, head.length);
  return output;
}
