import { join } from 'node:path';
import { float32ToInt16 } from '../../src-main/core/speech/audio/pcm';
import { readWavFile } from '../../src-main/core/speech/audio/wav-reader';
import { WavWriter } from '../../src-main/core/speech/audio/wav-writer';
import { concatenate as joinSignals } from '../fixtures/audio/signals';
import { sharedDataDir } from './shared-data';

/** Four real Mandarin clips (16 kHz mono) with reference transcripts; never copied into the repository. */
export const speechClipsDir = join(sharedDataDir, 'speech');
export const sampleRate = 16_000;

/** A clip's samples (first channel), at its own rate (16 kHz for the shared clips). */
export async function readClip(path: string): Promise<Float32Array> {
  const pieces: Float32Array[] = [];
  for await (const block of readWavFile(path)) if (block.channels[0]) pieces.push(block.channels[0]);
  return joinSignals(pieces);
}

export const silence = (milliseconds: number) => new Float32Array(Math.round((sampleRate * milliseconds) / 1000));

export function concatenate(...parts: Float32Array[]): Float32Array {
  return joinSignals(parts);
}

/** Writes 16-bit PCM WAV, one array per channel (padded with silence to the longest). */
export async function writeWav(path: string, channels: Float32Array[], rate = sampleRate): Promise<void> {
  const length = Math.max(...channels.map((channel) => channel.length));
  const interleaved = new Float32Array(length * channels.length);
  for (let index = 0; index < length; index += 1) {
    for (const [channel, samples] of channels.entries()) interleaved[index * channels.length + channel] = samples[index] ?? 0;
  }
  const writer = await WavWriter.create(path, { sampleRate: rate, channels: channels.length });
  await writer.write(float32ToInt16(interleaved));
  await writer.close();
}

/** 100 ms frames of 16-bit PCM, as the renderer sends them. */
export function* pcmFrames(samples: Float32Array, frameMs = 100): Generator<Uint8Array> {
  const frameSamples = (sampleRate * frameMs) / 1000;
  for (let start = 0; start < samples.length; start += frameSamples) {
    const pcm = float32ToInt16(samples.subarray(start, Math.min(samples.length, start + frameSamples)));
    yield new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  }
}
