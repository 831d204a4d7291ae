import { describe, expect, it } from 'vitest';
import { StreamingResampler, resample } from '../../../../../src-main/core/speech/audio/pcm';
import { amplitudeAt, concatenate, decibels, pieces, rms, tone, whiteNoise } from '../../../../fixtures/audio/signals';

const target = 16_000;
const inputRates = [8_000, 11_025, 22_050, 32_000, 44_100, 48_000, 96_000];

// Skip the first and last 0.1 s, where the filter sees the zero padding beyond the signal.
const settled = (samples: Float32Array) => [1_600, samples.length - 1_600] as const;

describe('StreamingResampler to 16 kHz', () => {
  it.each(inputRates)('keeps a 1 kHz tone at %i Hz at its pitch and level, with the right length', (rate) => {
    const output = resample(tone(rate, 1_000, 2, 0.5), rate, target);
    expect(output.length).toBe(32_000);
    const [from, to] = settled(output);
    expect(amplitudeAt(output, target, 1_000, from, to)).toBeCloseTo(0.5, 3);
    // Nothing else: the residue after removing the ideal tone is far below it.
    const ideal = tone(target, 1_000, 2, 0.5);
    const residue = output.map((value, index) => value - ideal[index]!);
    expect(decibels(rms(residue, from, to) / rms(ideal, from, to))).toBeLessThan(-80);
  });

  it.each([22_050, 44_100, 48_000])('removes content above 8 kHz at %i Hz instead of folding it into the speech band', (rate) => {
    // A 12 kHz whistle would alias to 4 kHz without a low-pass filter.
    const output = resample(tone(rate, 12_000, 1, 0.5), rate, target);
    const [from, to] = settled(output);
    expect(decibels(rms(output, from, to) / (0.5 / Math.SQRT2))).toBeLessThan(-70);
  });

  it('passes the speech band flat (within 0.1 dB up to 6 kHz)', () => {
    for (const frequency of [100, 300, 1_000, 3_400, 6_000]) {
      const output = resample(tone(44_100, frequency, 1, 0.5), 44_100, target);
      const [from, to] = settled(output);
      expect(Math.abs(decibels(amplitudeAt(output, target, frequency, from, to) / 0.5))).toBeLessThan(0.1);
    }
  });

  it.each(inputRates)('gives the same samples chunk by chunk as in one go (%i Hz)', (rate) => {
    const input = concatenate([tone(rate, 440, 0.7, 0.3), whiteNoise(rate, 0.6, -20)]);
    const oneShot = resample(input, rate, target);
    const streaming = new StreamingResampler(rate, target);
    const outputs = pieces(input, [1, 7, 160, 441, 1_000, 3]).map((piece) => streaming.process(piece));
    outputs.push(streaming.flush());
    expect(concatenate(outputs)).toEqual(oneShot);
  });

  it('keeps time: output n is input time n / 16 kHz, with no filter delay', () => {
    // A click at exactly 0.5 s comes out centred on sample 8000.
    const input = new Float32Array(48_000);
    input[24_000] = 1;
    const output = resample(input, 48_000, target);
    let peak = 0;
    for (let index = 1; index < output.length; index += 1) if (Math.abs(output[index]!) > Math.abs(output[peak]!)) peak = index;
    expect(peak).toBe(8_000);
  });

  it('starts a new stream after flush, and passes 16 kHz through untouched', () => {
    const resampler = new StreamingResampler(8_000, target);
    const first = concatenate([resampler.process(tone(8_000, 500, 0.25)), resampler.flush()]);
    const second = concatenate([resampler.process(tone(8_000, 500, 0.25)), resampler.flush()]);
    expect(second).toEqual(first);
    const same = tone(target, 700, 0.1);
    expect(resample(same, target, target)).toEqual(same);
  });

  it('refuses a sample rate that is not a positive whole number, saying what is usable', () => {
    expect(() => new StreamingResampler(0, target)).toThrow(/whole number of hertz/);
    expect(() => new StreamingResampler(44_100.5, target)).toThrow(/44100.5/);
  });
});
