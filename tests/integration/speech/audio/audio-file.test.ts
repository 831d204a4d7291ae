import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AudioFileError, openAudioFile, type OpenAudioFileOptions } from '../../../../src-main/core/speech/audio/audio-file';
import { float32ToInt16 } from '../../../../src-main/core/speech/audio/pcm';
import { WavWriter } from '../../../../src-main/core/speech/audio/wav-writer';
import { UtteranceDetector, type Utterance } from '../../../../src-main/core/speech/vad/utterance-detector';
import { encodeSignal, type EncodedFormat } from '../../../fixtures/audio/encoders';
import { amplitudeAt, buildWav, concatenate, rms, tone } from '../../../fixtures/audio/signals';
import { readClip, silence, speechClipsDir } from '../../../support/speech-audio';

const run = promisify(execFile);
const webmFixture = fileURLToPath(new URL('../../../fixtures/audio/tones-opus.webm', import.meta.url));
const rate = 16_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audio-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, options?: OpenAudioFileOptions) {
  const audio = await openAudioFile(path, options);
  const blocks: Float32Array[][] = [];
  for await (const block of audio.blocks()) blocks.push(block);
  const channels = Array.from({ length: audio.info.channels }, (_, channel) => concatenate(blocks.map((block) => block[channel]!)));
  return { info: audio.info, blocks, channels };
}

/** When a signal first gets loud (10 ms windows), in ms. */
function onsetMs(samples: Float32Array, threshold = 0.05): number {
  for (let start = 0; start + 160 <= samples.length; start += 160) if (rms(samples, start, start + 160) > threshold) return start / 16;
  return Number.NaN;
}

const window = (fromMs: number, toMs: number) => [fromMs * 16, toMs * 16] as const;

async function expectAudioError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const failure = await promise.then(() => null, (error: unknown) => error);
  expect(failure).toBeInstanceOf(AudioFileError);
  expect(failure).toMatchObject({ code, message: expect.stringMatching(message) });
}

describe('openAudioFile: the formats of recorded calls', () => {
  // Left (the caller) a 440 Hz tone from 0.5 to 2.0 s, right (the operator) 660 Hz from 1.5 to 3.0 s.
  const stereoCall = (sampleRate: number) => {
    const left = concatenate([new Float32Array(sampleRate / 2), tone(sampleRate, 440, 1.5, 0.4), new Float32Array(sampleRate)]);
    const right = concatenate([new Float32Array(sampleRate * 1.5), tone(sampleRate, 660, 1.5, 0.4)]);
    return [left, right];
  };

  it.each([
    ['wav', 'wav', 'pcm', 44_100],
    ['mp3', 'mp3', 'mp3', 44_100],
    ['ogg-vorbis', 'ogg', 'vorbis', 44_100],
    ['ogg-opus', 'ogg', 'opus', 48_000],
    ['flac', 'flac', 'flac', 44_100],
  ] as const)('reads a 44.1 kHz stereo %s call as two 16 kHz channels, in 1 s blocks, each side apart and in time', async (encoding, format, codec, decodedRate) => {
    const path = await encodeSignal(join(dir, `call-${encoding}`), stereoCall(44_100), 44_100, encoding as EncodedFormat);
    const { info, blocks, channels } = await readAll(path);
    expect(info).toMatchObject({ format, codec, channels: 2, sourceSampleRate: decodedRate });
    expect(info.durationMs).toBeGreaterThan(2_950);
    expect(info.durationMs).toBeLessThan(3_150);

    for (const block of blocks.slice(0, -1)) expect(block.map((channel) => channel.length)).toEqual([rate, rate]);
    // Lossy codecs add up to a frame of padding.
    expect(channels[0]!.length).toBeGreaterThanOrEqual(3 * rate - 16);
    expect(channels[0]!.length).toBeLessThan(3.15 * rate);

    const [caller, operator] = channels as [Float32Array, Float32Array];
    expect(amplitudeAt(caller, rate, 440, ...window(800, 1_800))).toBeCloseTo(0.4, 1);
    expect(amplitudeAt(caller, rate, 660, ...window(800, 1_800))).toBeLessThan(0.01);
    expect(amplitudeAt(operator, rate, 660, ...window(1_800, 2_800))).toBeCloseTo(0.4, 1);
    expect(amplitudeAt(operator, rate, 440, ...window(1_800, 2_800))).toBeLessThan(0.01);
    // Times survive decoding and resampling (MP3's encoder + decoder delay is about 25 ms).
    expect(Math.abs(onsetMs(caller) - 500)).toBeLessThanOrEqual(40);
    expect(Math.abs(onsetMs(operator) - 1_500)).toBeLessThanOrEqual(40);
    expect(rms(caller, ...window(2_100, 2_900))).toBeLessThan(0.01);
  });

  it('reads WebM/Opus as a browser records it (MediaRecorder: no duration in the header)', async () => {
    const { info, channels } = await readAll(webmFixture);
    expect(info).toEqual({ format: 'webm', codec: 'opus', channels: 2, sourceSampleRate: 48_000, durationMs: null });
    expect(channels[0]!.length / 16).toBeGreaterThan(2_900);
    expect(amplitudeAt(channels[0]!, rate, 440, ...window(500, 2_000))).toBeCloseTo(0.4, 1);
    expect(amplitudeAt(channels[1]!, rate, 660, ...window(500, 2_000))).toBeCloseTo(0.4, 1);
    expect(amplitudeAt(channels[0]!, rate, 660, ...window(500, 2_000))).toBeLessThan(0.01);
    expect(rms(channels[0]!, ...window(2_600, 2_900))).toBeLessThan(0.01);
  });

  it('reads an 8 kHz μ-law telephone recording', async () => {
    const source = await encodeSignal(join(dir, 'phone-source'), [tone(8_000, 1_000, 2, 0.5)], 8_000, 'wav');
    const path = join(dir, 'phone-mulaw.wav');
    await run('sox', [source, '-e', 'u-law', path]);
    const { info, channels } = await readAll(path);
    expect(info).toEqual({ format: 'wav', codec: 'mulaw', channels: 1, sourceSampleRate: 8_000, durationMs: 2_000 });
    expect(channels[0]!.length).toBe(32_000);
    expect(amplitudeAt(channels[0]!, rate, 1_000, ...window(100, 1_900))).toBeCloseTo(0.5, 2);
  });

  it('reads a recording whose writer crashed before closing it, to the last sample on disk', async () => {
    const path = join(dir, 'crashed', 'caller.wav');
    const writer = await WavWriter.create(path, { sampleRate: rate, syncIntervalMs: 2_000 });
    const signal = tone(rate, 300, 3.5, 0.3);
    await writer.write(float32ToInt16(signal));
    await writer.write(float32ToInt16(tone(rate, 300, 0.5, 0.3)));
    // No close(): the header was last patched at 3.5 s, 4 s are on disk.
    const { info, channels } = await readAll(path);
    expect(info.durationMs).toBe(4_000);
    expect(channels[0]!.length).toBe(64_000);
    await writer.close();
  });

  it('transcribes as it reads: a stereo MP3 at 48 kHz gives each speaker’s speech on its own channel at its time', async () => {
    const caller = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
    const operator = await readClip(join(speechClipsDir, 'IT0011W0001.wav'));
    const left = concatenate([silence(1_000), caller, silence(7_000)]);
    const right = concatenate([silence(6_000), operator, silence(left.length / 16 - 6_000 - operator.length / 16)]);
    const source = await encodeSignal(join(dir, 'speech-source'), [left, right], rate, 'wav');
    const path = join(dir, 'speech-48k.mp3');
    await run('sox', [source, '-r', '48000', '-C', '128', path]);

    const audio = await openAudioFile(path);
    expect(audio.info).toMatchObject({ format: 'mp3', channels: 2, sourceSampleRate: 48_000 });
    const detectors = [await UtteranceDetector.create(), await UtteranceDetector.create()];
    const found: Utterance[][] = [[], []];
    try {
      for await (const block of audio.blocks()) {
        for (const channel of [0, 1]) found[channel]!.push(...(await detectors[channel]!.push(block[channel]!)));
      }
      for (const channel of [0, 1]) found[channel]!.push(...(await detectors[channel]!.flush()));
    } finally {
      for (const detector of detectors) await detector.dispose();
    }
    const span = (utterances: Utterance[]) => ({ startMs: Math.min(...utterances.map((item) => item.startMs)), endMs: Math.max(...utterances.map((item) => item.endMs)) });
    expect(found[0]!.length).toBeGreaterThan(0);
    expect(found[1]!.length).toBeGreaterThan(0);
    // The caller's clip sits at 1.0–5.2 s and the operator's at 6.0–8.0 s (each with its own quiet lead-in).
    expect(span(found[0]!).startMs).toBeGreaterThanOrEqual(1_000);
    expect(span(found[0]!).endMs).toBeLessThanOrEqual(1_000 + caller.length / 16 + 300);
    expect(span(found[1]!).startMs).toBeGreaterThanOrEqual(6_000);
    expect(span(found[1]!).endMs).toBeLessThanOrEqual(6_000 + operator.length / 16 + 300);
  });
});

describe('openAudioFile: files it cannot transcribe, each with a code and what to do', () => {
  it('a missing file, a folder', async () => {
    await expectAudioError(openAudioFile(join(dir, 'no-such-call.wav')), 'AUDIO_NOT_FOUND', /no file at .*no-such-call\.wav/);
    await mkdir(join(dir, 'a-folder.wav'));
    await expectAudioError(openAudioFile(join(dir, 'a-folder.wav')), 'AUDIO_NOT_FOUND', /is a folder/);
  });

  it('a format it does not read, naming what it is and what works', async () => {
    const text = join(dir, 'notes.mp3');
    await writeFile(text, '来电人反映小区电梯故障，请尽快处理。\n'.repeat(20));
    await expectAudioError(openAudioFile(text), 'AUDIO_UNSUPPORTED', /text file.*Supported: WAV .*MP3, Ogg \(Vorbis or Opus\), WebM .*FLAC/);
    const mp4 = join(dir, 'voice-memo.m4a');
    await writeFile(mp4, Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \0\0\0\0M4A mp42isom'), Buffer.alloc(2000)]));
    await expectAudioError(openAudioFile(mp4), 'AUDIO_UNSUPPORTED', /MP4\/M4A/);
  });

  it.each(['wav', 'flac', 'ogg-vorbis', 'ogg-opus'] as const)('a 0-second %s file: "contains no audio"', async (encoding) => {
    const path = await encodeSignal(join(dir, `empty-${encoding}`), [new Float32Array(0)], rate, encoding);
    await expectAudioError(openAudioFile(path), 'AUDIO_EMPTY', /contains no audio/);
  });

  it('a 0-byte file', async () => {
    const path = join(dir, 'zero-bytes.wav');
    await writeFile(path, new Uint8Array(0));
    await expectAudioError(openAudioFile(path), 'AUDIO_EMPTY', /empty \(0 bytes\)/);
  });

  it.each(['ogg-vorbis', 'ogg-opus', 'flac'] as const)('a damaged %s file (headers, then noise)', async (encoding) => {
    const path = await encodeSignal(join(dir, `damaged-${encoding}`), [tone(rate, 440, 2, 0.3)], rate, encoding);
    const bytes = await readFile(path);
    // Keep the first 200 bytes (the stream headers), then bytes that are not audio.
    const noise = Buffer.alloc(20_000);
    for (let index = 0; index < noise.length; index += 1) noise[index] = (index * 7919 + 13) % 251;
    await writeFile(path, Buffer.concat([bytes.subarray(0, 200), noise]));
    await expectAudioError(openAudioFile(path), 'AUDIO_CORRUPT', /no audio could be decoded.*damaged or cut short/);
  });

  it('a WAV whose format chunk is missing', async () => {
    const bytes = buildWav([tone(rate, 440, 0.5)], { sampleRate: rate, channels: 1, encoding: 'pcm', bitsPerSample: 16 });
    const path = join(dir, 'no-format.wav');
    await writeFile(path, Buffer.concat([bytes.subarray(0, 12), bytes.subarray(36)]));
    await expectAudioError(openAudioFile(path), 'AUDIO_CORRUPT', /format chunk/);
  });

  it('a recording longer than the limit: refused up front when the header tells, or when decoding gets there', async () => {
    const wav = await encodeSignal(join(dir, 'long'), [tone(rate, 440, 3, 0.3)], rate, 'wav');
    await expectAudioError(openAudioFile(wav, { maxDurationMs: 2_000 }), 'AUDIO_TOO_LONG', /is 3 s long; at most 2 s can be transcribed at once\. Split the recording/);
    // Browser WebM has no duration in its header: the limit applies as the audio is decoded.
    const audio = await openAudioFile(webmFixture, { maxDurationMs: 1_000 });
    const reading = (async () => {
      for await (const block of audio.blocks()) expect(block).toHaveLength(2);
    })();
    await expectAudioError(reading, 'AUDIO_TOO_LONG', /Split the recording/);
  });
});
