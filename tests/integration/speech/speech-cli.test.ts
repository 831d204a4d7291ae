import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UtteranceDetector } from '../../../src-main/core/speech/vad/utterance-detector';
import { concatenate, readClip, sampleRate, silence, speechClipsDir, writeWav } from '../../support/speech-audio';
import { makeTempDir, removeTempDir } from '../../support/temp-console';
import { ensureTinyWhisper, tinyWhisperSentence } from '../../support/tiny-whisper';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/hotline-console.js', import.meta.url));

let folder: string;
let modelsDir: string;

beforeAll(async () => {
  folder = await makeTempDir('hotline-speech-cli-');
  modelsDir = dirname(await ensureTinyWhisper());
}, 300_000);

afterAll(async () => {
  await removeTempDir(folder);
});

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 16 * 2 ** 20 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('hotline-console transcribe', () => {
  it('transcribes a stereo call: left the caller, right the operator, with times', async () => {
    const caller = await readClip(join(speechClipsDir, 'BAC009S0764W0121.wav'));
    const operator = await readClip(join(speechClipsDir, 'IT0011W0001.wav'));
    const callerEndMs = 500 + (caller.length / sampleRate) * 1000;
    const path = join(folder, 'call.wav');
    await writeWav(path, [concatenate(silence(500), caller, silence(4_000)), concatenate(silence(callerEndMs + 800), operator, silence(1_000))]);

    const { stdout, code } = await cli('transcribe', path, '--json', '--models-dir', modelsDir);
    expect(code).toBe(0);
    const transcript = JSON.parse(stdout) as {
      file: { format: string; channels: number; durationMs: number };
      model: string;
      segments: { speaker: string; startMs: number; endMs: number; text: string }[];
    };
    expect(transcript.file).toMatchObject({ format: 'wav', channels: 2 });
    expect(transcript.model).toBe('whisper-tiny-test');
    const speakers = transcript.segments.map((segment) => segment.speaker);
    expect(speakers[0]).toBe('caller');
    expect(speakers.at(-1)).toBe('operator');
    for (const segment of transcript.segments) {
      expect(segment.text).toBe(tinyWhisperSentence);
      expect(segment.endMs).toBeGreaterThan(segment.startMs);
      expect(segment.endMs).toBeLessThanOrEqual(transcript.file.durationMs);
    }
    const firstOperator = transcript.segments.find((segment) => segment.speaker === 'operator');
    expect(firstOperator?.startMs).toBeGreaterThan(callerEndMs);

    const readable = await cli('transcribe', path, '--models-dir', modelsDir);
    expect(readable.stdout).toMatch(/\[00:00:0\d\.\d\d – 00:00:0\d\.\d\d\] 来电人 caller {2}这个电梯坏了/);
    expect(readable.stdout).toMatch(/话务员 operator/);
  }, 120_000);

  it('keeps every utterance of a file from its first sample, at the times the detector finds', async () => {
    const path = join(speechClipsDir, 'TEST_MEETING_T0000000001_S00000.wav');
    const detector = await UtteranceDetector.create();
    const clip = await readClip(path);
    const expected = [...(await detector.push(clip)), ...(await detector.flush())].map((utterance) => [Math.round(utterance.startMs), Math.round(utterance.endMs)]);
    await detector.dispose();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const { stdout } = await cli('transcribe', path, '--json', '--models-dir', modelsDir);
    const segments = (JSON.parse(stdout) as { segments: { startMs: number; endMs: number }[] }).segments;
    expect(segments.map((segment) => [segment.startMs, segment.endMs])).toEqual(expected);
  }, 120_000);

  it('says what is wrong with an unsupported, empty or missing file, and with no model installed', async () => {
    const text = join(folder, 'notes.txt');
    await writeFile(text, 'not audio at all');
    const unsupported = await cli('transcribe', text, '--models-dir', modelsDir);
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toMatch(/MP3/);

    const empty = join(folder, 'empty.wav');
    await writeWav(empty, [new Float32Array(0)]);
    const nothing = await cli('transcribe', empty, '--models-dir', modelsDir);
    expect(nothing.code).not.toBe(0);
    expect(nothing.stderr).toMatch(/no audio/i);

    const missing = await cli('transcribe', join(folder, 'gone.wav'), '--models-dir', modelsDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Nothing at/);

    const noModel = await cli('transcribe', empty, '--models-dir', join(folder, 'no-models'));
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr).toMatch(/models fetch whisper-base/);
  }, 120_000);
});

describe('hotline-console models', () => {
  it('lists and verifies the installed models', async () => {
    const listed = await cli('models', 'list', '--models-dir', modelsDir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/whisper-tiny-test {2}whisper {2}1\.0 MB/);
    const verified = await cli('models', 'verify', '--models-dir', modelsDir);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('whisper-tiny-test: every file matches its sha256');
  });
});
