// Pure sample-rate conversion for the capture worklet: no DOM, no Web Audio, so that the maths can
// be tested in Node. It runs on the audio thread, so the hot path allocates nothing.

/** How finely the filter kernel is tabulated between two input samples (linear interpolation between entries). */
const tableDensity = 256;
/** Stop-band attenuation the filter is designed for, in dB. */
const stopBandAttenuationDb = 80;

/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for the β used here). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50; k += 1) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const angle = Math.PI * x;
  return Math.sin(angle) / angle;
}

/**
 * The low-pass filter in input-sample units: the cut-off sits at the lower of the two Nyquist
 * frequencies, with a transition band an eighth of it wide on either side. For 48 kHz → 16 kHz that is
 * 7–9 kHz: everything up to 7 kHz passes, and what lies above 9 kHz (which would fold back below
 * 7 kHz at the new rate) is attenuated by about 80 dB. A Kaiser window sets that attenuation.
 */
export function designLowPass(inputRate: number, outputRate: number) {
  const nyquist = Math.min(inputRate, outputRate) / 2;
  const cutoff = nyquist / inputRate; // cycles per input sample
  const transitionWidth = nyquist / 4 / inputRate; // cycles per input sample
  const beta = 0.1102 * (stopBandAttenuationDb - 8.7);
  // Kaiser's estimate of the length that reaches that attenuation over that transition band.
  const taps = (stopBandAttenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionWidth);
  const halfWidth = Math.ceil(taps / 2);
  const table = new Float32Array(halfWidth * tableDensity + 2);
  const windowNorm = besselI0(beta);
  for (let index = 0; index < table.length; index += 1) {
    const distance = index / tableDensity;
    const position = distance / halfWidth;
    const window = position >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - position * position)) / windowNorm;
    table[index] = 2 * cutoff * sinc(2 * cutoff * distance) * window;
  }
  return { cutoff, halfWidth, table };
}

/**
 * Converts a stream of mono float samples from `inputRate` to `outputRate` by windowed-sinc
 * interpolation (band-limited, so it also filters out what would alias). Feed it blocks of any size
 * with `process`; `flush` at the end returns the last outputs, which wait for the filter's
 * look-ahead (half the kernel: about 1.3 ms at 48 kHz) until then. Over a whole stream the output
 * has exactly ceil(input × outputRate / inputRate) samples, output n sitting at input time
 * n × inputRate / outputRate.
 */
export class StreamingResampler {
  private readonly halfWidth: number;
  private readonly table: Float32Array;
  /** Input not yet consumed; `buffer[0]` is absolute input sample `bufferStart`. */
  private buffer: Float32Array;
  private bufferStart = 0;
  private bufferLength = 0;
  private received = 0;
  private produced = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`Sample rates must be positive whole numbers (got ${inputRate} → ${outputRate})`);
    }
    const filter = designLowPass(inputRate, outputRate);
    this.halfWidth = filter.halfWidth;
    this.table = filter.table;
    this.buffer = new Float32Array(4 * this.halfWidth + 4096);
  }

  /** The most outputs one call of `process` with this many inputs can write. */
  maxOutputFor(inputLength: number): number {
    return Math.ceil(((inputLength + this.halfWidth * 2 + 2) * this.outputRate) / this.inputRate) + 1;
  }

  /** Appends `input` and writes every output whose filter window is now complete; returns how many. */
  process(input: Float32Array, output: Float32Array): number {
    this.append(input);
    return this.emit(output, this.received - 1 - this.halfWidth);
  }

  /** Writes the remaining outputs as though silence followed the stream; the stream ends here. */
  flush(output: Float32Array): number {
    const total = Math.ceil((this.received * this.outputRate) / this.inputRate);
    const count = this.emit(output, Number.POSITIVE_INFINITY, total);
    return count;
  }

  /** Input time (in input samples) of output n, from whole numbers so that it never drifts. */
  private centreOf(outputIndex: number): number {
    return (outputIndex * this.inputRate) / this.outputRate;
  }

  private append(input: Float32Array): void {
    const needed = this.bufferLength + input.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(input, this.bufferLength);
    this.bufferLength += input.length;
    this.received += input.length;
  }

  /**
   * Computes outputs while their centre is at most `lastCentre` (and, at the end of the stream,
   * while fewer than `limit` have been produced), then drops the input no later output needs.
   */
  private emit(output: Float32Array, lastCentre: number, limit = Number.POSITIVE_INFINITY): number {
    const { halfWidth, table, buffer, bufferStart, bufferLength } = this;
    let count = 0;
    while (this.produced < limit && count < output.length) {
      const centre = this.centreOf(this.produced);
      if (centre > lastCentre) break;
      const first = Math.max(Math.ceil(centre - halfWidth), bufferStart);
      const last = Math.min(Math.floor(centre + halfWidth), bufferStart + bufferLength - 1);
      let sum = 0;
      for (let index = first; index <= last; index += 1) {
        const position = Math.abs(centre - index) * tableDensity;
        const entry = Math.floor(position);
        const fraction = position - entry;
        const weight = table[entry]! + (table[entry + 1]! - table[entry]!) * fraction;
        sum += buffer[index - bufferStart]! * weight;
      }
      output[count] = sum;
      count += 1;
      this.produced += 1;
    }
    // Keep only what the next output's window reaches back to.
    const keepFrom = Math.max(bufferStart, Math.min(Math.ceil(this.centreOf(this.produced) - halfWidth), bufferStart + bufferLength));
    const drop = keepFrom - bufferStart;
    if (drop > 0) {
      buffer.copyWithin(0, drop, bufferLength);
      this.bufferStart = keepFrom;
      this.bufferLength = bufferLength - drop;
    }
    return count;
  }
}

/** Resamples a whole signal at once (tests, and short clips). */
export function resample(samples: Float32Array, inputRate: number, outputRate: number, blockSize = 128): Float32Array {
  const resampler = new StreamingResampler(inputRate, outputRate);
  const scratch = new Float32Array(resampler.maxOutputFor(blockSize));
  const parts: number[] = [];
  for (let offset = 0; offset < samples.length; offset += blockSize) {
    const written = resampler.process(samples.subarray(offset, offset + blockSize), scratch);
    for (let index = 0; index < written; index += 1) parts.push(scratch[index]!);
  }
  const tail = new Float32Array(resampler.maxOutputFor(0) + resampler.outputRate);
  const written = resampler.flush(tail);
  for (let index = 0; index < written; index += 1) parts.push(tail[index]!);
  return Float32Array.from(parts);
}
