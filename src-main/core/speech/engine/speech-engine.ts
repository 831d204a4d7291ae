import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SpeechEngineName } from '../../../contract';
import { checkLayout, type WeightsVariant } from '../models/engine-layout';
import { readManifest, type ModelManifest } from '../models/model-manifest';
import { describeProblems } from '../models/model-verification';
import { verifyWithCache } from '../models/verification-cache';

/** What one call of `transcribe` heard. Times are relative to the first sample given. */
export interface Recognition {
  /** The whole text, in simplified characters. Empty when nothing was said. */
  text: string;
  /**
   * Geometric mean of the probabilities the model gave the tokens it chose (0…1), or null when no
   * token was decoded. Low values flag text worth checking by ear.
   */
  confidence: number | null;
  /** Stretches of text with the model's own timestamps, in order, within the audio given. */
  chunks: { startMs: number; endMs: number; text: string }[];
  /** Where the time went: log-mel feature extraction vs. the model (encoder + decoding). */
  timings: { featuresMs: number; inferenceMs: number };
}

export interface TranscribeOptions {
  /** Aborting stops decoding at the next token and rejects with an AbortError. */
  signal?: AbortSignal;
  /** After each 30 s window of long audio: milliseconds of audio recognised so far, of the total. */
  onProgress?: (doneMs: number, totalMs: number) => void;
}

/** A local speech recogniser. Callers depend on this interface only, never on one engine. */
export interface SpeechEngine {
  readonly modelName: string;
  /** `audio`: 16 kHz mono samples in -1…1, of any length (long audio is cut into windows). */
  transcribe(audio: Float32Array, options?: TranscribeOptions): Promise<Recognition>;
  /** Frees the model; transcribe fails afterwards. */
  dispose(): Promise<void>;
}

export type SpeechModelErrorCode =
  /** No folder at the path: nothing installed. */
  | 'SPEECH_MODEL_MISSING'
  /** A folder without a valid manifest, or one that does not describe a complete model. */
  | 'SPEECH_MODEL_INVALID'
  /** Files missing or failing their sha256: a partial copy or a damaged disk. */
  | 'SPEECH_MODEL_CORRUPT'
  /** Files are intact but the runtime could not load them (wrong format, too little memory). */
  | 'SPEECH_MODEL_LOAD_FAILED';

/** Why a model cannot be used; the message says what happened and what to do. */
export class SpeechModelError extends Error {
  constructor(
    readonly code: SpeechModelErrorCode,
    message: string,
    /** Files involved (missing or mismatching), when the problem is about files. */
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'SpeechModelError';
  }
}

/** Everything an engine implementation is given: the folder has been checked against its manifest. */
export interface VerifiedModel {
  dir: string;
  manifest: ModelManifest;
  /** Which of the engine's weight sets the folder holds. */
  variant: WeightsVariant;
}

export interface LoadOptions {
  /** Recognition language (Whisper code); the hotline speaks Chinese. */
  language?: string;
}

type EngineLoader = (model: VerifiedModel, options: LoadOptions) => Promise<SpeechEngine>;

// One entry per engine; each is imported only when a model of its kind is loaded. Adding an engine
// (say, Paraformer through sherpa-onnx) means a layout, a loader here, and nothing in the callers.
const engineLoaders: Record<SpeechEngineName, EngineLoader> = {
  whisper: async (model, options) => (await import('./whisper-engine')).loadWhisperEngine(model, options),
};

const typeInstead = 'Meanwhile the operator types the transcript.';

/**
 * Loads the model in `modelDir` after checking it: the folder exists, its manifest is valid and
 * complete, and every file matches its sha256 (re-hashed only when a file's size or times changed).
 * Throws SpeechModelError.
 */
export async function loadSpeechEngine(modelDir: string, options: LoadOptions = {}): Promise<SpeechEngine> {
  const dir = resolve(modelDir);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    throw new SpeechModelError(
      'SPEECH_MODEL_MISSING',
      `No speech model at ${dir}. Install one with \`hotline-console models fetch whisper-base\` (with internet) or \`models import FOLDER\` (closed network). ${typeInstead}`,
    );
  }
  const read = await readManifest(dir);
  if (!read.ok) {
    throw new SpeechModelError('SPEECH_MODEL_INVALID', `${dir} is not a usable speech model: ${read.problem}. Re-import it with \`models import\` or re-fetch it. ${typeInstead}`);
  }
  const { manifest } = read;
  const layout = checkLayout(manifest.engine, manifest.files.map((file) => file.path));
  if (!layout.ok) {
    throw new SpeechModelError('SPEECH_MODEL_INVALID', `The manifest of ${dir} does not describe a complete model. ${layout.message} ${typeInstead}`, layout.missing);
  }
  const problems = await verifyWithCache(dir, manifest.files);
  if (problems.length > 0) {
    throw new SpeechModelError(
      'SPEECH_MODEL_CORRUPT',
      `The speech model ${manifest.name} is damaged or incomplete: ${describeProblems(problems)}. It was not loaded. Re-import or re-fetch it. ${typeInstead}`,
      problems.map((problem) => problem.path),
    );
  }
  try {
    return await engineLoaders[manifest.engine]({ dir, manifest, variant: layout.variant }, options);
  } catch (error) {
    if (error instanceof SpeechModelError) throw error;
    throw new SpeechModelError(
      'SPEECH_MODEL_LOAD_FAILED',
      `The speech model ${manifest.name} could not be loaded (${(error as Error).message ?? String(error)}). Its files are intact, so the model itself may not suit this version, or memory ran short. Try another model. ${typeInstead}`,
    );
  }
}
