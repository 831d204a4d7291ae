// `npm run bench:asr [-- --model-dir DIR]`: speech recognition as the console runs it, on whatever
// model is installed (models/, or the generated tiny test model when none is). The four real
// Mandarin clips in ../shared/data/speech are fed in real time through the speech worker, 100 ms a
// frame, as a live call's line would be. Prints real-time factor, utterance end → text latency,
// pipeline overhead (voice-activity detection + feature extraction + transport) as a fraction of
// the audio, peak memory, and with a real model the character error rate. Ends with one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledModelsDir, readFlag } from '../../src-main/core/config';
import { float32ToInt16 } from '../../src-main/core/speech/audio/pcm';
import { transcribeFile } from '../../src-main/core/speech/file-transcriber';
import { readManifest } from '../../src-main/core/speech/models/model-manifest';
import { ModelStore } from '../../src-main/core/speech/models/model-store';
import { launchNodeSpeechWorker } from '../../src-main/core/speech/worker/node-speech-worker';
import type { SegmentMessage, WorkerMessage } from '../../src-main/core/speech/worker/speech-worker-protocol';
import { concatenate, readClip, sampleRate, silence, speechClipsDir } from '../support/speech-audio';
import { ensureTinyWhisper, isGeneratedTestModel } from '../support/tiny-whisper';

const frameMs = 100;
const gapMs = 1_500;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const percentile = (sorted: readonly number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;

interface ClipReference {
  file: string;
  text_nospace: string;
}

async function chooseModelDir(): Promise<string> {
  const named = readFlag(process.argv, 'model-dir');
  if (named) return named;
  const installed = (await new ModelStore(bundledModelsDir).list()).find((model) => model.manifest && !model.problem);
  return installed?.dir ?? ensureTinyWhisper();
}

/** Characters that carry words: punctuation and spaces are not scored. */
const scoredCharacters = (text: string) => [...text.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '')];

function editDistance(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, index) => index);
  for (let row = 1; row <= reference.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= hypothesis.length; column += 1) {
      const substitution = (previous[column - 1] ?? 0) + (reference[row - 1] === hypothesis[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[hypothesis.length] ?? 0;
}

let peakRss = 0;
const sampleMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const memorySampler = setInterval(sampleMemory, 100);

const modelDir = await chooseModelDir();
const manifestRead = await readManifest(modelDir);
if (!manifestRead.ok) throw new Error(`The model at ${modelDir} has no usable manifest: ${manifestRead.problem}`);
const manifest = manifestRead.manifest;
const testModel = isGeneratedTestModel(manifest);
const references = readFileSync(join(speechClipsDir, 'transcripts.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as ClipReference);
const clips = await Promise.all(references.map((reference) => readClip(join(speechClipsDir, reference.file))));
const stream = concatenate(silence(gapMs), ...clips.flatMap((clip) => [clip, silence(gapMs)]));
const audioMs = (stream.length / sampleRate) * 1000;
console.log(`model ${manifest.name}${testModel ? ' (the generated test model: random weights, so no error rate)' : ''}`);
console.log(`feeding ${(audioMs / 1000).toFixed(1)} s of audio (${clips.length} clips with ${gapMs / 1000} s gaps) in real time…`);

// Live: one worker, one line, frames paced by the wall clock.
const worker = launchNodeSpeechWorker();
const segments: { message: SegmentMessage; arrivedAt: number }[] = [];
let loaded: (() => void) | null = null;
let closed: (() => void) | null = null;
let loadMs = 0;
worker.onMessage((message: WorkerMessage) => {
  if (message.kind === 'loaded') {
    loadMs = message.loadMs;
    loaded?.();
  } else if (message.kind === 'loadFailed' || message.kind === 'lineFailed') {
    console.error(message.error.message);
    process.exit(1);
  } else if (message.kind === 'segment') segments.push({ message, arrivedAt: performance.now() });
  else if (message.kind === 'lineClosed') closed?.();
});
await new Promise<void>((resolve) => {
  loaded = resolve;
  worker.post({ kind: 'load', requestId: 1, modelDir });
});
worker.post({ kind: 'openLine', lineId: 'bench', mode: 'live' });

const frameSamples = (sampleRate * frameMs) / 1000;
const postedAt: number[] = [];
let transportMs = 0;
const started = performance.now();
for (let frame = 0; frame * frameSamples < stream.length; frame += 1) {
  // Real time: frame n leaves when n × 100 ms of audio has been "spoken".
  const due = started + frame * frameMs;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const pcm = float32ToInt16(stream.subarray(frame * frameSamples, (frame + 1) * frameSamples));
  const posting = performance.now();
  worker.post({ kind: 'audio', lineId: 'bench', pcm }, [pcm.buffer as ArrayBuffer]);
  transportMs += performance.now() - posting;
  postedAt.push(posting);
  sampleMemory();
}
await new Promise<void>((resolve) => {
  closed = resolve;
  worker.post({ kind: 'closeLine', lineId: 'bench' });
});
worker.post({ kind: 'shutdown' });
await worker.terminate();

// End of speech → text: from when the frame holding the utterance's last sample was sent.
const latencies = segments
  .map(({ message, arrivedAt }) => arrivedAt - (postedAt[Math.min(postedAt.length - 1, Math.floor(message.endMs / frameMs))] ?? arrivedAt))
  .sort((a, b) => a - b);
const total = (pick: (message: SegmentMessage) => number) => segments.reduce((sum, { message }) => sum + pick(message), 0);
const vadMs = total((message) => message.timings.vadMs);
const featuresMs = total((message) => message.timings.featuresMs);
const inferenceMs = total((message) => message.timings.inferenceMs);
const recognisedMs = total((message) => message.endMs - message.startMs);

// Character error rate: each clip transcribed on its own, scored without punctuation or spaces.
let cer: number | null = null;
if (!testModel) {
  let edits = 0;
  let referenceLength = 0;
  for (const reference of references) {
    const transcript = await transcribeFile(join(speechClipsDir, reference.file), { modelDir, launchWorker: launchNodeSpeechWorker });
    const hypothesis = scoredCharacters(transcript.segments.map((segment) => segment.text).join(''));
    const expected = scoredCharacters(reference.text_nospace);
    edits += editDistance(expected, hypothesis);
    referenceLength += expected.length;
    console.log(`  ${reference.file}: ${hypothesis.join('')}  (reference ${expected.join('')})`);
  }
  cer = edits / Math.max(1, referenceLength);
}
clearInterval(memorySampler);
sampleMemory();

const figures = {
  model: manifest.name,
  rtf: round((featuresMs + inferenceMs) / audioMs, 3),
  overheadFraction: round((vadMs + featuresMs + transportMs) / audioMs, 4),
  p50LatencyMs: round(percentile(latencies, 0.5)),
  p95LatencyMs: round(percentile(latencies, 0.95)),
  peakRssMb: round(peakRss / 2 ** 20, 0),
  cer: cer === null ? null : round(cer, 4),
};
console.log(`
model load             ${round(loadMs, 0)} ms
segments               ${segments.length} covering ${(recognisedMs / 1000).toFixed(1)} s of ${(audioMs / 1000).toFixed(1)} s
real-time factor       ${figures.rtf} (feature extraction + model, per second of audio)
end of speech → text   p50 ${figures.p50LatencyMs} ms  p95 ${figures.p95LatencyMs} ms (includes the detector's ${'~'}0.5 s wait for silence)
pipeline overhead      ${(figures.overheadFraction * 100).toFixed(2)}% of audio time (voice activity ${round(vadMs, 0)} ms, features ${round(featuresMs, 0)} ms, transport ${round(transportMs, 1)} ms)
peak RSS               ${figures.peakRssMb} MB
character error rate   ${cer === null ? 'not measured (test model)' : figures.cer}`);
console.log(JSON.stringify(figures));
