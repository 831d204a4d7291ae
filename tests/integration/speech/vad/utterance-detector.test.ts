import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UtteranceDetector, type Utterance } from '../../../../src-main/core/speech/vad/utterance-detector';
import { concatenate, pieces, whiteNoise } from '../../../fixtures/audio/signals';
import { readClip, silence, speechClipsDir } from '../../../support/speech-audio';

// Real Mandarin clips (16 kHz mono) from ../shared/data/speech, through the real Silero v5 model.

const samplesPerMs = 16;
const clipNames = readdirSync(speechClipsDir).filter((name) => name.endsWith('.wav')).sort();
const clips = new Map<string, Float32Array>();
const short = ['BAC009S0764W0121.wav', 'IT0011W0001.wav', 'TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav'];
const detectors: UtteranceDetector[] = [];

beforeAll(async () => {
  for (const name of clipNames) clips.set(name, await readClip(join(speechClipsDir, name)));
});
afterAll(async () => {
  for (const detector of detectors) await detector.dispose();
});

async function detector(): Promise<UtteranceDetector> {
  const created = await UtteranceDetector.create();
  detectors.push(created);
  return created;
}

/** Runs a whole signal through a fresh detector in pieces of the given sizes, then flushes. */
async function detect(signal: Float32Array, pieceSamples: number): Promise<Utterance[]> {
  const instance = await detector();
  const found: Utterance[] = [];
  for (const piece of pieces(signal, [pieceSamples])) found.push(...(await instance.push(piece)));
  found.push(...(await instance.flush()));
  expect(instance.processedMs).toBe(signal.length / samplesPerMs);
  return found;
}

/**
 * Where speech is in a clip, measured independently of the model: the first and last 10 ms whose
 * energy is within 15 dB of the clip's loudest 10 ms (the clips' own leading and trailing pauses
 * are quiet room noise 20–35 dB down).
 */
function speechBounds(clip: Float32Array): { startMs: number; endMs: number } {
  const levels: number[] = [];
  for (let start = 0; start + 160 <= clip.length; start += 160) {
    let energy = 0;
    for (let index = start; index < start + 160; index += 1) energy += clip[index]! ** 2;
    levels.push(10 * Math.log10(energy / 160 + 1e-12));
  }
  const threshold = Math.max(...levels) - 15;
  const first = levels.findIndex((level) => level > threshold);
  const last = levels.length - 1 - [...levels].reverse().findIndex((level) => level > threshold);
  return { startMs: first * 10, endMs: (last + 1) * 10 };
}

/** Bit-for-bit equality of two signals (a byte comparison: element-wise matchers are slow on 40 s). */
function sameSamples(actual: Float32Array, expected: Float32Array): boolean {
  const bytes = (samples: Float32Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return actual.length === expected.length && bytes(actual).equals(bytes(expected));
}

/** Every utterance's audio is exactly the input between its start and end: times are sample-accurate. */
function expectAudioMatchesTimes(signal: Float32Array, utterances: Utterance[]): void {
  for (const utterance of utterances) {
    expect(utterance.audio.length).toBe((utterance.endMs - utterance.startMs) * samplesPerMs);
    expect(sameSamples(utterance.audio, signal.subarray(utterance.startMs * samplesPerMs, utterance.endMs * samplesPerMs))).toBe(true);
  }
}

describe('UtteranceDetector on real speech', () => {
  it.each(clipNames)('finds the speech in %s', async (name) => {
    const clip = clips.get(name)!;
    const utterances = await detect(clip, 1_600);
    expect(utterances.length).toBeGreaterThan(0);
    const bounds = speechBounds(clip);
    // The utterances together span the clip's speech (the model needs a frame or few to be sure).
    expect(utterances[0]!.startMs).toBeLessThanOrEqual(bounds.startMs + 300);
    expect(utterances.at(-1)!.endMs).toBeGreaterThanOrEqual(bounds.endMs - 300);
    expectAudioMatchesTimes(clip, utterances);
  });

  it('cuts three clips separated by 2 s of silence into three utterances at the speech boundaries', async () => {
    const gap = silence(2_000);
    const parts = short.map((name) => clips.get(name)!);
    const signal = concatenate([gap, parts[0]!, gap, parts[1]!, gap, parts[2]!, gap]);
    const expected: Array<{ startMs: number; endMs: number }> = [];
    let offsetMs = 0;
    for (const part of parts) {
      offsetMs += 2_000;
      const bounds = speechBounds(part);
      expected.push({ startMs: offsetMs + bounds.startMs, endMs: offsetMs + bounds.endMs });
      offsetMs += part.length / samplesPerMs;
    }

    const utterances = await detect(signal, 1_600);
    expect(utterances).toHaveLength(3);
    utterances.forEach((utterance, index) => {
      expect(Math.abs(utterance.startMs - expected[index]!.startMs)).toBeLessThanOrEqual(300);
      expect(Math.abs(utterance.endMs - expected[index]!.endMs)).toBeLessThanOrEqual(300);
      expect(utterance.forced).toBe(false);
    });
    expectAudioMatchesTimes(signal, utterances);
  });

  it('finds nothing in 10 s of digital silence', async () => {
    expect(await detect(silence(10_000), 1_600)).toEqual([]);
  });

  it('finds nothing in 10 s of low-level white noise (-50 dBFS)', async () => {
    expect(await detect(whiteNoise(16_000, 10, -50), 1_600)).toEqual([]);
  });

  describe('40 s of continuous speech', () => {
    // The noisy broadcast clip has no pause at all; back to back it is unbroken speech.
    const talk = () => {
      const clip = clips.get('TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav')!;
      return concatenate(Array.from({ length: Math.ceil(40_000 / (clip.length / samplesPerMs)) }, () => clip)).subarray(0, 40_000 * samplesPerMs);
    };

    it('is split into utterances of at most 15 s that follow each other without a lost or repeated sample', async () => {
      const signal = talk();
      const utterances = await detect(signal, 1_600);
      expect(utterances.length).toBeGreaterThanOrEqual(3);
      for (const utterance of utterances) expect(utterance.endMs - utterance.startMs).toBeLessThanOrEqual(15_000);
      for (let index = 1; index < utterances.length; index += 1) expect(utterances[index]!.startMs).toBe(utterances[index - 1]!.endMs);
      expect(utterances.slice(0, -1).every((utterance) => utterance.forced)).toBe(true);
      expect(utterances.at(-1)!.endMs).toBe(40_000);
      expect(utterances[0]!.startMs).toBeLessThan(300);
      expectAudioMatchesTimes(signal, utterances);
    });

    it('gives the same utterances whether fed in 10 ms or 1 s pieces', async () => {
      const signal = talk();
      const gap = silence(2_000);
      const mixed = concatenate([gap, signal, gap, ...short.map((name) => clips.get(name)!), gap]);
      const small = await detect(mixed, 160);
      const large = await detect(mixed, 16_000);
      expect(small.map(({ startMs, endMs, forced }) => ({ startMs, endMs, forced }))).toEqual(large.map(({ startMs, endMs, forced }) => ({ startMs, endMs, forced })));
      small.forEach((utterance, index) => expect(sameSamples(utterance.audio, large[index]!.audio)).toBe(true));
    });

    it('shows the utterance being spoken, growing, for partial text', async () => {
      const signal = talk();
      const instance = await detector();
      expect(instance.inProgress()).toBeNull();
      const seen: Array<{ startMs: number; lengthMs: number }> = [];
      for (const piece of pieces(signal.subarray(0, 6_000 * samplesPerMs), [16_000])) {
        await instance.push(piece);
        const current = instance.inProgress();
        if (current) {
          seen.push({ startMs: current.startMs, lengthMs: current.audio.length / samplesPerMs });
          expect(sameSamples(current.audio, signal.subarray(current.startMs * samplesPerMs, current.startMs * samplesPerMs + current.audio.length))).toBe(true);
        }
      }
      expect(seen.length).toBeGreaterThanOrEqual(5);
      expect(new Set(seen.map((entry) => entry.startMs)).size).toBe(1);
      expect(seen.at(-1)!.lengthMs).toBeGreaterThan(5_500);
      for (let index = 1; index < seen.length; index += 1) expect(seen[index]!.lengthMs).toBeGreaterThan(seen[index - 1]!.lengthMs);
    });
  });

  it('keeps each detector’s own state while they share one model: two lines at once find what each finds alone', async () => {
    const first = concatenate([silence(1_000), clips.get(short[0]!)!, silence(1_000)]);
    const second = concatenate([silence(3_000), clips.get(short[1]!)!, silence(1_000)]);
    const alone = [await detect(first, 1_600), await detect(second, 1_600)];
    const [lineA, lineB] = [await detector(), await detector()];
    const together: Utterance[][] = [[], []];
    const piecesA = pieces(first, [1_600]);
    const piecesB = pieces(second, [1_600]);
    for (let index = 0; index < Math.max(piecesA.length, piecesB.length); index += 1) {
      const [foundA, foundB] = await Promise.all([lineA.push(piecesA[index] ?? new Float32Array(0)), lineB.push(piecesB[index] ?? new Float32Array(0))]);
      together[0]!.push(...foundA);
      together[1]!.push(...foundB);
    }
    together[0]!.push(...(await lineA.flush()));
    together[1]!.push(...(await lineB.flush()));
    expect(together).toEqual(alone);
  });

  it('drops a misfire shorter than the minimum speech length', async () => {
    // 120 ms cut from the middle of a word, between silences.
    const clip = clips.get(short[0]!)!;
    const burst = clip.subarray(1_000 * samplesPerMs, 1_120 * samplesPerMs);
    expect(await detect(concatenate([silence(1_000), burst, silence(1_000)]), 1_600)).toEqual([]);
  });
});
