import {
  AutoProcessor,
  AutoTokenizer,
  env,
  LogitsProcessor,
  LogitsProcessorList,
  type PreTrainedTokenizer,
  type Processor,
  type Tensor,
  WhisperForConditionalGeneration,
} from '@huggingface/transformers';
import { sampleRate, splitIntoWindows } from './audio-windows';
import { toSimplifiedChinese } from './simplified-chinese';
import type { LoadOptions, Recognition, SpeechEngine, TranscribeOptions, VerifiedModel } from './speech-engine';
import { whisperFeatures, type WhisperFeatureExtractor } from './whisper-features';
import { groupByTimestamps, type WhisperTokenIds } from './whisper-tokens';

// Never reach for the network and never write a download cache: the model folder is all there is.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;

/**
 * Records how likely the model found each token it chose. transformers.js does not return scores
 * from generate() (greedy decoding reports a fixed 0), so this processor runs last in the chain,
 * after Whisper's timestamp rules, and takes the log-softmax of the chosen (highest) logit, which
 * is the token greedy decoding picks. It also ends decoding when the caller cancels: every token
 * but end-of-text is masked, so generate() returns at the next step.
 */
class TokenProbabilityRecorder extends LogitsProcessor {
  logProbabilitySum = 0;
  tokenCount = 0;

  constructor(
    private readonly endOfText: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const row = (logits as unknown as Tensor[])[0]!.data as Float32Array;
    if (this.signal?.aborted) {
      row.fill(Number.NEGATIVE_INFINITY);
      row[this.endOfText] = 0;
      return logits;
    }
    let highest = Number.NEGATIVE_INFINITY;
    for (const value of row) if (value > highest) highest = value;
    if (highest === Number.NEGATIVE_INFINITY) return logits;
    let sum = 0;
    for (const value of row) sum += Math.exp(value - highest);
    this.logProbabilitySum += -Math.log(sum);
    this.tokenCount += 1;
    return logits;
  }
}

/** A processor list that keeps the recorder last, whatever generate() pushes into it later. */
class RecorderLastList extends LogitsProcessorList {
  constructor(recorder: TokenProbabilityRecorder) {
    super();
    this.processors.push(recorder);
  }

  override push(item: LogitsProcessor): void {
    this.processors.splice(this.processors.length - 1, 0, item);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Speech recognition was cancelled.', 'AbortError');
}

class WhisperEngine implements SpeechEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly extractFeatures: WhisperFeatureExtractor;

  constructor(
    readonly modelName: string,
    processor: Processor,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: WhisperForConditionalGeneration,
    private readonly ids: WhisperTokenIds,
    private readonly language: string,
  ) {
    const extractor = (processor as unknown as { feature_extractor: WhisperFeatureExtractor }).feature_extractor;
    this.extractFeatures = (audio, options) => extractor(audio, options);
  }

  transcribe(audio: Float32Array, options: TranscribeOptions = {}): Promise<Recognition> {
    // One recognition at a time: the model's sessions are shared, and a queue keeps order.
    const result = this.queue.then(() => this.run(audio, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(audio: Float32Array, { signal, onProgress }: TranscribeOptions): Promise<Recognition> {
    if (this.disposed) throw new Error(`The speech model ${this.modelName} has been unloaded; load it again.`);
    if (signal?.aborted) throw abortError(signal);
    const timings = { featuresMs: 0, inferenceMs: 0 };
    const chunks: Recognition['chunks'] = [];
    let rawText = '';
    let logProbabilitySum = 0;
    let tokenCount = 0;

    for (const window of splitIntoWindows(audio)) {
      const samples = audio.subarray(window.start, window.end);
      const windowSeconds = samples.length / sampleRate;
      const featuresStart = performance.now();
      const features = await whisperFeatures(this.extractFeatures, samples);
      timings.featuresMs += performance.now() - featuresStart;

      const inferenceStart = performance.now();
      const recorder = new TokenProbabilityRecorder(this.ids.endOfText, signal);
      const output = (await this.model.generate({
        inputs: features,
        language: this.language,
        task: 'transcribe',
        return_timestamps: true,
        logits_processor: new RecorderLastList(recorder),
      } as Parameters<WhisperForConditionalGeneration['generate']>[0])) as Tensor;
      const sequence = ((output as unknown as Tensor[])[0]!.tolist() as bigint[]).map(Number);
      timings.inferenceMs += performance.now() - inferenceStart;
      if (signal?.aborted) throw abortError(signal);
      logProbabilitySum += recorder.logProbabilitySum;
      tokenCount += recorder.tokenCount;

      // The sequence starts with the prompt (<|startoftranscript|> <|zh|> <|transcribe|>).
      const firstGenerated = sequence.findIndex((token) => token < this.ids.endOfText || token >= this.ids.timestampBegin);
      const generated = firstGenerated === -1 ? [] : sequence.slice(firstGenerated);
      const offsetMs = (window.start / sampleRate) * 1000;
      const windowMs = windowSeconds * 1000;
      for (const stretch of groupByTimestamps(generated, this.ids, windowSeconds)) {
        const piece = this.tokenizer.decode(stretch.tokens, { skip_special_tokens: true });
        rawText += piece;
        const text = toSimplifiedChinese(piece).trim();
        if (!text) continue;
        // The model may place timestamps in the padding after the audio: keep them within it.
        const startMs = Math.min(stretch.startSeconds * 1000, windowMs);
        const endMs = Math.min(Math.max(stretch.endSeconds * 1000, startMs), windowMs);
        chunks.push({ startMs: Math.round(offsetMs + startMs), endMs: Math.round(offsetMs + endMs), text });
      }
      onProgress?.(Math.round((window.end / sampleRate) * 1000), Math.round((audio.length / sampleRate) * 1000));
    }

    return {
      text: toSimplifiedChinese(rawText).trim(),
      confidence: tokenCount > 0 ? Math.exp(logProbabilitySum / tokenCount) : null,
      chunks,
      timings,
    };
  }

  /**
   * One short decode of silence. ONNX Runtime finishes preparing a session on its first run, which
   * would otherwise delay the first utterance of a call; and a model that loads but cannot run is
   * found now, at load, rather than mid-call.
   */
  async warmUp(): Promise<void> {
    const features = await whisperFeatures(this.extractFeatures, new Float32Array(sampleRate / 2));
    await this.model.generate({
      inputs: features,
      language: this.language,
      task: 'transcribe',
      return_timestamps: true,
      max_new_tokens: 2,
    } as Parameters<WhisperForConditionalGeneration['generate']>[0]);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.model.dispose();
  }
}

/** Loads a checked Whisper folder with transformers.js on the CPU. */
export async function loadWhisperEngine(model: VerifiedModel, options: LoadOptions): Promise<SpeechEngine> {
  const pretrained = { local_files_only: true } as const;
  const [processor, tokenizer, whisper] = await Promise.all([
    AutoProcessor.from_pretrained(model.dir, pretrained),
    AutoTokenizer.from_pretrained(model.dir, pretrained),
    WhisperForConditionalGeneration.from_pretrained(model.dir, { ...pretrained, device: 'cpu', dtype: model.variant.dtype }) as Promise<WhisperForConditionalGeneration>,
  ]);
  const config = whisper.config as unknown as { max_source_positions?: number };
  const generation = whisper.generation_config as unknown as { eos_token_id?: number | number[]; no_timestamps_token_id?: number };
  const endOfText = Array.isArray(generation.eos_token_id) ? generation.eos_token_id[0] : generation.eos_token_id;
  if (typeof endOfText !== 'number' || typeof generation.no_timestamps_token_id !== 'number') {
    await whisper.dispose();
    throw new Error('generation_config.json lacks eos_token_id or no_timestamps_token_id, which timestamped transcription needs');
  }
  const ids: WhisperTokenIds = {
    endOfText,
    timestampBegin: generation.no_timestamps_token_id + 1,
    timePrecision: 30 / (config.max_source_positions ?? 1500),
  };
  const engine = new WhisperEngine(model.manifest.name, processor, tokenizer, whisper, ids, options.language ?? 'zh');
  try {
    await engine.warmUp();
  } catch (error) {
    await engine.dispose();
    throw error;
  }
  return engine;
}
