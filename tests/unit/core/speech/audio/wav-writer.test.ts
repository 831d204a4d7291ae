import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WavWriteError, WavWriter } from '../../../../../src-main/core/speech/audio/wav-writer';
import { readWavFile } from '../../../../../src-main/core/speech/audio/wav-reader';
import { float32ToInt16, int16ToFloat32 } from '../../../../../src-main/core/speech/audio/pcm';
import { concatenate, pieces, tone } from '../../../../fixtures/audio/signals';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wav-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The header fields a player relies on, read straight from the bytes. */
function headerOf(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  return {
    riff: text(0),
    riffSize: view.getUint32(4, true),
    wave: text(8),
    fmt: text(12),
    formatTag: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    blockAlign: view.getUint16(32, true),
    bitsPerSample: view.getUint16(34, true),
    data: text(36),
    dataSize: view.getUint32(40, true),
  };
}

async function readAll(path: string): Promise<Float32Array> {
  const blocks: Float32Array[] = [];
  for await (const block of readWavFile(path)) blocks.push(block.channels[0]!);
  return concatenate(blocks);
}

const speechLike = () => float32ToInt16(tone(16_000, 440, 5, 0.4));

describe('WavWriter', () => {
  it('records a 16 kHz mono 16-bit WAV whose header describes exactly the audio written', async () => {
    const path = join(dir, 'calls', 'call-1', 'caller.wav');
    const writer = await WavWriter.create(path, { sampleRate: 16_000 });
    const pcm = speechLike();
    for (const piece of pieces(int16ToFloat32(pcm), [1_600, 333, 5_000])) await writer.write(float32ToInt16(piece));
    expect(writer.durationMs).toBe(5_000);
    expect(await writer.close()).toEqual({ durationMs: 5_000 });

    const bytes = new Uint8Array(await readFile(path));
    expect(bytes.length).toBe(44 + 160_000);
    expect(headerOf(bytes)).toEqual({
      riff: 'RIFF', riffSize: 36 + 160_000, wave: 'WAVE', fmt: 'fmt ', formatTag: 1, channels: 1, sampleRate: 16_000,
      byteRate: 32_000, blockAlign: 2, bitsPerSample: 16, data: 'data', dataSize: 160_000,
    });
    expect(new Int16Array(bytes.buffer.slice(44))).toEqual(pcm);
  });

  it('keeps the file playable while recording: after a crash the header covers everything up to the last sync', async () => {
    const path = join(dir, 'crash.wav');
    const writer = await WavWriter.create(path, { sampleRate: 16_000, syncIntervalMs: 2_000 });
    const pcm = speechLike();
    // 5 s in 100 ms frames, as the renderer sends them; then the process "dies" without close().
    for (const piece of pieces(int16ToFloat32(pcm), [1_600])) await writer.write(float32ToInt16(piece));

    const onDisk = new Uint8Array(await readFile(path));
    const header = headerOf(onDisk);
    expect(header.dataSize).toBe(4 * 32_000); // synced at 2 s and 4 s
    expect(header.riffSize).toBe(36 + header.dataSize);

    // A power cut loses what was never synced: the file is then exactly as its header says.
    const powerCut = join(dir, 'power-cut.wav');
    await writeFile(powerCut, onDisk.subarray(0, 44 + header.dataSize));
    expect(await readAll(powerCut)).toEqual(int16ToFloat32(pcm.subarray(0, 64_000)));
    // A crash that kept the page cache loses nothing: the reader reads past the stale header.
    expect(await readAll(path)).toEqual(int16ToFloat32(pcm));
    await writer.close();
  });

  it('is valid from the moment it is created, and close is idempotent', async () => {
    const path = join(dir, 'empty.wav');
    const writer = await WavWriter.create(path, { sampleRate: 16_000 });
    expect(headerOf(new Uint8Array(await readFile(path)))).toMatchObject({ riff: 'RIFF', riffSize: 36, dataSize: 0 });
    await writer.write(new Int16Array(8_000));
    const first = writer.close();
    expect(await writer.close()).toEqual(await first);
    expect(await first).toEqual({ durationMs: 500 });
    expect((await stat(path)).size).toBe(44 + 16_000);
    await expect(writer.write(new Int16Array(10))).rejects.toMatchObject({ code: 'RECORDING_CLOSED' });
  });

  it('keeps writes in call order even when they are not awaited one by one', async () => {
    const path = join(dir, 'order.wav');
    const writer = await WavWriter.create(path, { sampleRate: 16_000, syncIntervalMs: 50 });
    const frames = Array.from({ length: 40 }, (_, index) => new Int16Array(160).fill(index));
    await Promise.all(frames.map((frame) => writer.write(frame)));
    await writer.close();
    const samples = new Int16Array((await readFile(path)).buffer.slice(44));
    expect(Array.from({ length: 40 }, (_, index) => samples[index * 160])).toEqual(frames.map((_, index) => index));
  });

  it.runIf(process.platform === 'linux')('reports a full disk with a code and what to do', async () => {
    // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
    const failure = await WavWriter.create('/dev/full', { sampleRate: 16_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WavWriteError);
    expect(failure).toMatchObject({ code: 'RECORDING_DISK_FULL', message: expect.stringMatching(/full.*Free some space/) });
  });

  it.runIf(process.platform === 'linux')('reports a folder it may not write with a code, even when running as root', async () => {
    // sysfs refuses new files to everyone.
    const failure = await WavWriter.create('/sys/hotline-recording.wav', { sampleRate: 16_000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'RECORDING_NOT_PERMITTED', message: expect.stringMatching(/may not be written/) });
  });

  it('reports a path where a file sits in place of the folder', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const failure = await WavWriter.create(join(dir, 'not-a-folder', 'line.wav'), { sampleRate: 16_000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'RECORDING_FAILED', message: expect.stringContaining('not-a-folder') });
  });

  it('records interleaved stereo when asked', async () => {
    const path = join(dir, 'stereo.wav');
    const writer = await WavWriter.create(path, { sampleRate: 8_000, channels: 2 });
    await writer.write(Int16Array.from([1, -1, 2, -2]));
    await expect(writer.write(Int16Array.from([3]))).rejects.toThrow(/whole frames/);
    expect(await writer.close()).toEqual({ durationMs: 0.25 });
    const header = headerOf(new Uint8Array(await readFile(path)));
    expect(header).toMatchObject({ channels: 2, sampleRate: 8_000, byteRate: 32_000, blockAlign: 4, dataSize: 8 });
  });
});
