import { Tensor } from '@huggingface/transformers';

// Whisper's features are the log-mel spectrogram of exactly 30 s: shorter audio is padded with
// silence first. transformers.js computes all 3,000 frames even for a 2 s utterance, which costs
// about 0.3 s of CPU per call, most of a live utterance's budget. Frames of pure silence all get
// the same value, set by the loudest frame: (max(-10, M - 8) + 4) / 4 with M the largest log10 mel
// energy. So only the audio plus a short silent tail is analysed (the tail makes the frames at the
// boundary see the same zeros as in the full computation), and the rest is filled in. The result
// is identical, value for value, to the full computation (a test checks it) at a fraction of the cost.

const melBins = 80;
const frames = 3000;
const samplesPerWindow = 480_000;
// Two FFT windows (n_fft = 400) of silence after the audio.
const silentTailSamples = 800;

/** The feature extractor's own call: (audio, { max_length }) → { input_features: [1, 80, frames] }. */
export type WhisperFeatureExtractor = (audio: Float32Array, options?: { max_length?: number }) => Promise<{ input_features: Tensor }>;

/** Log-mel features [1, 80, 3000] of up to 30 s of 16 kHz audio, as Whisper's feature extractor makes them. */
export async function whisperFeatures(extract: WhisperFeatureExtractor, samples: Float32Array): Promise<Tensor> {
  const analysed = samples.length + silentTailSamples;
  if (analysed >= samplesPerWindow) return (await extract(samples)).input_features;
  const withTail = new Float32Array(analysed);
  withTail.set(samples);
  const partial = (await extract(withTail, { max_length: analysed })).input_features;
  const partialFrames = partial.dims[2]!;
  const values = partial.data as Float32Array;
  let loudest = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > loudest) loudest = value;
  // loudest = (M + 4) / 4, so the silent value (max(-10, M - 8) + 4) / 4 = max(-1.5, loudest - 2).
  const full = new Float32Array(melBins * frames).fill(Math.max(-1.5, loudest - 2));
  for (let bin = 0; bin < melBins; bin += 1) full.set(values.subarray(bin * partialFrames, (bin + 1) * partialFrames), bin * frames);
  return new Tensor('float32', full, [1, melBins, frames]);
}
