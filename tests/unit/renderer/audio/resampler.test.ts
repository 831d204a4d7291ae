import { describe, expect, it } from 'vitest';
import { designLowPass, resample, StreamingResampler } from '../../../../src-renderer/features/audio/resampler';

const outputRate = 16_000;

function tone(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let index = 0; index < samples.length; index += 1) samples[index] = amplitude * Math.sin((2 * Math.PI * frequency * index) / rate);
  return samples;
}

/** RMS of the middle of a signal, away from the filter's start-up and tail. */
function middleRms(samples: Float32Array): number {
  const from = Math.floor(samples.length * 0.2);
  const to = Math.floor(samples.length * 0.8);
  let sum = 0;
  for (let index = from; index < to; index += 1) sum += samples[index]! ** 2;
  return Math.sqrt(sum / (to - from));
}

/** Magnitude of one frequency in a signal (a single DFT bin, evaluated directly). */
function magnitudeAt(samples: Float32Array, frequency: number, rate: number): number {
  const from = Math.floor(samples.length * 0.2);
  const to = Math.floor(samples.length * 0.8);
  let real = 0;
  let imaginary = 0;
  for (let index = from; index < to; index += 1) {
    const angle = (2 * Math.PI * frequency * index) / rate;
    real += samples[index]! * Math.cos(angle);
    imaginary -= samples[index]! * Math.sin(angle);
  }
  return (2 * Math.hypot(real, imaginary)) / (to - from);
}

/** Frequency of a clean tone, from its zero crossings. */
function zeroCrossingFrequency(samples: Float32Array, rate: number): number {
  const from = Math.floor(samples.length * 0.2);
  const to = Math.floor(samples.length * 0.8);
  let crossings = 0;
  for (let index = from + 1; index < to; index += 1) {
    if ((samples[index - 1]! < 0 && samples[index]! >= 0) || (samples[index - 1]! >= 0 && samples[index]! < 0)) crossings += 1;
  }
  return (crossings / 2) * (rate / (to - from));
}

const decibels = (ratio: number) => 20 * Math.log10(ratio);

describe.each([48_000, 44_100])('resampling %i Hz to 16 kHz', (inputRate) => {
  it('keeps a 1 kHz sine a 1 kHz sine at the same level', () => {
    const output = resample(tone(1000, inputRate, 1), inputRate, outputRate);
    expect(zeroCrossingFrequency(output, outputRate)).toBeCloseTo(1000, -1);
    expect(magnitudeAt(output, 1000, outputRate)).toBeCloseTo(0.5, 2);
    // Nothing but the tone: the energy at 1 kHz is all the energy there is.
    expect(middleRms(output)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  it('lets a 7 kHz tone through (within 0.1 dB)', () => {
    const output = resample(tone(7000, inputRate, 1), inputRate, outputRate);
    expect(Math.abs(decibels(magnitudeAt(output, 7000, outputRate) / 0.5))).toBeLessThan(0.1);
  });

  it('attenuates a 12 kHz tone strongly instead of folding it down to 4 kHz', () => {
    const output = resample(tone(12_000, inputRate, 1), inputRate, outputRate);
    // Aliased, 12 kHz at a 16 kHz rate would reappear at 4 kHz.
    expect(decibels(magnitudeAt(output, 4000, outputRate) / 0.5)).toBeLessThan(-60);
    expect(decibels(middleRms(output) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('gives input × 16000 / rate samples, whatever the block size', () => {
    for (const [seconds, blockSize] of [
      [1, 128],
      [0.1, 128],
      [2.5, 441],
      [0.0123, 7],
    ] as const) {
      const input = tone(440, inputRate, seconds);
      const output = resample(input, inputRate, outputRate, blockSize);
      expect(output.length, `${seconds} s in blocks of ${blockSize}`).toBe(Math.ceil((input.length * outputRate) / inputRate));
    }
  });
});

describe('streaming resampler', () => {
  it('gives the same samples whether fed in render blocks or all at once', () => {
    const input = tone(1234, 48_000, 0.5);
    const inBlocks = resample(input, 48_000, outputRate, 128);
    const inOne = resample(input, 48_000, outputRate, input.length);
    expect(inBlocks.length).toBe(inOne.length);
    for (let index = 0; index < inOne.length; index += 1) expect(inBlocks[index]).toBeCloseTo(inOne[index]!, 6);
  });

  it('holds back only the filter look-ahead until the stream is flushed', () => {
    const resampler = new StreamingResampler(48_000, outputRate);
    const scratch = new Float32Array(resampler.maxOutputFor(4800));
    const written = resampler.process(tone(500, 48_000, 0.1), scratch);
    // 100 ms in: 1600 outputs due, all but the last few (the kernel's half-width, ~1.3 ms) given now.
    expect(written).toBeGreaterThan(1600 - 30);
    expect(written).toBeLessThan(1600);
    expect(written + resampler.flush(new Float32Array(resampler.maxOutputFor(0)))).toBe(1600);
  });

  it('keeps silence silent and a constant level constant', () => {
    expect(Math.max(...resample(new Float32Array(4800), 48_000, outputRate).map(Math.abs))).toBe(0);
    const constant = resample(new Float32Array(48_000).fill(0.25), 48_000, outputRate);
    expect(middleRms(constant)).toBeCloseTo(0.25, 3);
  });

  it('cuts at 8 kHz, so that 9.5 kHz (which would fold onto 6.5 kHz, inside the speech band) is gone too', () => {
    expect(designLowPass(44_100, outputRate).cutoff).toBeCloseTo(8000 / 44_100, 6);
    const output = resample(tone(9500, 48_000, 1), 48_000, outputRate);
    expect(decibels(magnitudeAt(output, 6500, outputRate) / 0.5)).toBeLessThan(-60);
  });

  it('refuses rates that are not positive whole numbers', () => {
    expect(() => new StreamingResampler(0, outputRate)).toThrow(RangeError);
    expect(() => new StreamingResampler(44_100.5, outputRate)).toThrow(RangeError);
  });
});
