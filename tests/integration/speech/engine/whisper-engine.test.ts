import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoProcessor, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpeechEngine, SpeechModelError, type Recognition, type SpeechEngine } from '../../../../src-main/core/speech/engine/speech-engine';
import { toSimplifiedChinese } from '../../../../src-main/core/speech/engine/simplified-chinese';
import { whisperFeatures, type WhisperFeatureExtractor } from '../../../../src-main/core/speech/engine/whisper-features';
import { hashFile, readManifest, writeManifest } from '../../../../src-main/core/speech/models/model-manifest';
import { concatenate, readClip, silence, speechClipsDir } from '../../../support/speech-audio';
import { ensureTinyWhisper, tinyWhisperEndMs, tinyWhisperSentence } from '../../../support/tiny-whisper';

// The real transformers.js loading and decoding path, on the tiny random-weight Whisper that
// tests/fixtures/tiny-whisper/make-tiny-whisper.py writes. It says 這個電梯壞了 (traditional, as
// Whisper often does) from 0 to 1 s of every 30 s window, whatever it hears.

const clips = ['BAC009S0764W0121.wav', 'IT0011W0001.wav', 'TEST_MEETING_T0000000001_S00000.wav', 'TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav'];
const durationMs = (audio: Float32Array) => (audio.length / 16_000) * 1000;

let modelDir: string;
let engine: SpeechEngine;
let scratch: string;

beforeAll(async () => {
  modelDir = await ensureTinyWhisper();
  engine = await loadSpeechEngine(modelDir);
  scratch = await mkdtemp(join(tmpdir(), 'whisper-engine-'));
}, 120_000);

afterAll(async () => {
  await engine?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

function expectWellFormed(recognition: Recognition, audioMs: number): void {
  expect(recognition.chunks.length).toBeGreaterThan(0);
  let previousEnd = 0;
  for (const chunk of recognition.chunks) {
    expect(chunk.startMs).toBeGreaterThanOrEqual(previousEnd);
    expect(chunk.endMs).toBeGreaterThanOrEqual(chunk.startMs);
    expect(chunk.endMs).toBeLessThanOrEqual(audioMs);
    expect(chunk.text.length).toBeGreaterThan(0);
    previousEnd = chunk.endMs;
  }
  expect(recognition.text).toBe(recognition.chunks.map((chunk) => chunk.text).join(''));
  expect(recognition.confidence).toBeGreaterThan(0);
  expect(recognition.confidence).toBeLessThanOrEqual(1);
  expect(recognition.timings.featuresMs).toBeGreaterThan(0);
  expect(recognition.timings.inferenceMs).toBeGreaterThan(0);
}

/** A copy of the tiny model that a test may damage. */
async function copyOfModel(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(modelDir, dir, { recursive: true });
  return dir;
}

async function loadError(dir: string): Promise<SpeechModelError> {
  const error = await loadSpeechEngine(dir).then(
    async (loaded) => {
      await loaded.dispose();
      return null;
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SpeechModelError);
  return error as SpeechModelError;
}

describe('Whisper engine on real clips', () => {
  it.each(clips)('recognises %s into timed chunks within the clip, in simplified characters', async (clip) => {
    const audio = await readClip(join(speechClipsDir, clip));
    const recognition = await engine.transcribe(audio);
    expectWellFormed(recognition, durationMs(audio));
    expect(recognition.text).toBe(tinyWhisperSentence);
    expect(recognition.chunks).toEqual([{ startMs: 0, endMs: tinyWhisperEndMs, text: tinyWhisperSentence }]);
    expect(engine.modelName).toBe('whisper-tiny-test');
  });

  it('keeps chunk times within audio shorter than the time the model names', async () => {
    const audio = (await readClip(join(speechClipsDir, clips[1]!))).subarray(0, 8_000);
    const recognition = await engine.transcribe(audio);
    expect(recognition.chunks).toEqual([{ startMs: 0, endMs: 500, text: tinyWhisperSentence }]);
  });

  it('transcribes audio longer than a 30 s window, window by window, with times on the whole recording', async () => {
    const parts: Float32Array[] = [];
    for (const clip of clips) parts.push(await readClip(join(speechClipsDir, clip)), silence(500));
    const audio = concatenate(...parts, ...parts, ...parts);
    const progress: number[] = [];
    const recognition = await engine.transcribe(audio, { onProgress: (doneMs) => progress.push(doneMs) });

    const totalMs = durationMs(audio);
    expect(totalMs).toBeGreaterThan(60_000);
    expectWellFormed(recognition, totalMs);
    // One stretch per window of at most 30 s, each starting where its window starts.
    expect(recognition.chunks).toHaveLength(3);
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toBe(Math.round(totalMs));
    const windowStarts = [0, ...progress.slice(0, -1)];
    for (const [index, chunk] of recognition.chunks.entries()) {
      expect(chunk.startMs).toBe(windowStarts[index]);
      expect(progress[index]! - windowStarts[index]!).toBeLessThanOrEqual(30_000);
    }
  });

  it('returns no text for no audio', async () => {
    const recognition = await engine.transcribe(new Float32Array(0));
    expect(recognition).toEqual({ text: '', confidence: null, chunks: [], timings: { featuresMs: 0, inferenceMs: 0 } });
  });

  it('computes the same features as transformers.js does for the padded 30 s, only faster', async () => {
    const processor = (await AutoProcessor.from_pretrained(modelDir, { local_files_only: true })) as unknown as {
      feature_extractor: WhisperFeatureExtractor;
      (audio: Float32Array): Promise<{ input_features: Tensor }>;
    };
    for (const clip of [clips[1]!, clips[2]!]) {
      const audio = await readClip(join(speechClipsDir, clip));
      const reference = (await processor(audio)).input_features;
      const ours = await whisperFeatures((samples, options) => processor.feature_extractor(samples, options), audio);
      expect(ours.dims).toEqual(reference.dims);
      const [expected, actual] = [reference.data as Float32Array, ours.data as Float32Array];
      let differing = 0;
      for (let index = 0; index < expected.length; index += 1) if (expected[index] !== actual[index]) differing += 1;
      expect(differing).toBe(0);
    }
  });
});

describe('Simplified characters', () => {
  it('converts traditional to mainland simplified and leaves simplified text, digits and Latin alone', () => {
    expect(toSimplifiedChinese('這個電梯壞了')).toBe('这个电梯坏了');
    expect(toSimplifiedChinese('樓下的鄰居每天晚上裝修，噪音很大。')).toBe('楼下的邻居每天晚上装修，噪音很大。');
    expect(toSimplifiedChinese('我家住在望京街道 3 号楼 ABC')).toBe('我家住在望京街道 3 号楼 ABC');
  });
});

describe('Cancellation', () => {
  it('rejects at once when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(engine.transcribe(new Float32Array(16_000), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops a long transcription part way, and the engine goes on working', async () => {
    const clip = await readClip(join(speechClipsDir, clips[2]!));
    const audio = concatenate(clip, clip, clip, clip, clip, clip, clip);
    const controller = new AbortController();
    const progress: number[] = [];
    const cancelled = engine.transcribe(audio, {
      signal: controller.signal,
      onProgress: (doneMs) => {
        progress.push(doneMs);
        controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    // Three windows of audio; decoding stopped in the second.
    expect(progress).toHaveLength(1);

    const next = await engine.transcribe(clip);
    expect(next.text).toBe(tinyWhisperSentence);
  });
});

describe('Model problems', () => {
  it('reports a missing folder as no model', async () => {
    const error = await loadError(join(scratch, 'not-installed'));
    expect(error.code).toBe('SPEECH_MODEL_MISSING');
    expect(error.message).toContain('models import');
  });

  it('reports a folder without a manifest, and one with a broken manifest, as invalid', async () => {
    const unlisted = await copyOfModel('no-manifest');
    await rm(join(unlisted, 'manifest.json'));
    const noManifest = await loadError(unlisted);
    expect(noManifest.code).toBe('SPEECH_MODEL_INVALID');
    expect(noManifest.message).toContain('no manifest.json');

    const broken = await copyOfModel('broken-manifest');
    await writeFile(join(broken, 'manifest.json'), '{"name": "broken",');
    const brokenManifest = await loadError(broken);
    expect(brokenManifest.code).toBe('SPEECH_MODEL_INVALID');
    expect(brokenManifest.message).toContain('not valid JSON');
  });

  it('refuses a file that fails its sha256, even after an earlier load remembered the files as good', async () => {
    const dir = await copyOfModel('corrupt');
    await (await loadSpeechEngine(dir)).dispose();
    const encoder = join(dir, 'onnx', 'encoder_model.onnx');
    const bytes = await readFile(encoder);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await writeFile(encoder, bytes);

    const error = await loadError(dir);
    expect(error.code).toBe('SPEECH_MODEL_CORRUPT');
    expect(error.files).toEqual(['onnx/encoder_model.onnx']);
    expect(error.message).toContain('onnx/encoder_model.onnx (sha256 differs)');
  });

  it('refuses a partial copy, naming the missing file', async () => {
    const dir = await copyOfModel('partial');
    await rm(join(dir, 'onnx', 'decoder_model_merged.onnx'));
    const error = await loadError(dir);
    expect(error.code).toBe('SPEECH_MODEL_CORRUPT');
    expect(error.message).toContain('onnx/decoder_model_merged.onnx (missing)');
  });

  it('reports intact files that the runtime cannot load as a load failure', async () => {
    const dir = await copyOfModel('not-onnx');
    const decoder = join(dir, 'onnx', 'decoder_model_merged.onnx');
    await writeFile(decoder, 'this is not an ONNX graph');
    const read = await readManifest(dir);
    if (!read.ok) throw new Error(read.problem);
    const files = await Promise.all(
      read.manifest.files.map(async (file) =>
        file.path === 'onnx/decoder_model_merged.onnx' ? { ...file, bytes: 25, sha256: await hashFile(decoder) } : file,
      ),
    );
    await writeManifest(dir, { ...read.manifest, files });
    const error = await loadError(dir);
    expect(error.code).toBe('SPEECH_MODEL_LOAD_FAILED');
    expect(error.message).toContain('could not be loaded');
  });

  it('refuses to transcribe after dispose', async () => {
    const disposable = await loadSpeechEngine(modelDir);
    await disposable.dispose();
    await expect(disposable.transcribe(new Float32Array(16_000))).rejects.toThrow(/unloaded/);
  });
});
