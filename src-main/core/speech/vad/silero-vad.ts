import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';

// Silero VAD (v5/v6) on onnxruntime-node, fed exactly as @ricky0123/vad-web and silero-vad's own
// OnnxWrapper feed it: frames of 512 samples at 16 kHz, each preceded by the last 64 samples of the
// frame before (the "context", so that an onset straddling two frames is seen whole), a recurrent
// state tensor [2, 1, 128] carried from one frame to the next, and the sample rate as an int64.
//
// The ONNX session is loaded once per process and per model file and shared by every detector:
// onnxruntime sessions may run concurrently, and all per-stream memory (state, context) lives in
// the SileroVad instances.

export type SileroModelVersion = 'v5' | 'v6';

export const sileroSampleRate = 16_000;
/** Samples per frame at 16 kHz: 32 ms. */
export const sileroFrameSamples = 512;
const contextSamples = 64;
const stateSize = 2 * 1 * 128;

export class VadError extends Error {
  constructor(
    readonly code: 'VAD_UNAVAILABLE' | 'VAD_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VadError';
  }
}

type OnnxRuntime = typeof import('onnxruntime-node');

interface LoadedModel {
  runtime: OnnxRuntime;
  session: InferenceSession;
  sampleRate: Tensor;
}

const loadedModels = new Map<string, Promise<LoadedModel>>();

/** Where the model ships: inside @ricky0123/vad-web, which the console depends on for exactly this. */
export function sileroModelPath(version: SileroModelVersion = 'v5'): string {
  const packageFile = createRequire(import.meta.url).resolve('@ricky0123/vad-web/package.json');
  return join(dirname(packageFile), 'dist', `silero_vad_${version}.onnx`);
}

function loadModel(modelPath: string): Promise<LoadedModel> {
  let loading = loadedModels.get(modelPath);
  if (!loading) {
    loading = (async () => {
      let runtime: OnnxRuntime;
      try {
        runtime = await import('onnxruntime-node');
      } catch (error) {
        throw new VadError('VAD_UNAVAILABLE', `Voice-activity detection cannot start: onnxruntime-node did not load (${(error as Error).message}). Reinstall the console.`, { cause: error });
      }
      try {
        // One thread: the model is small, and threads would only contend with the recogniser.
        const session = await runtime.InferenceSession.create(modelPath, {
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
          logSeverityLevel: 3,
        });
        const sampleRate = new runtime.Tensor('int64', BigInt64Array.from([BigInt(sileroSampleRate)]), []);
        return { runtime, session, sampleRate };
      } catch (error) {
        throw new VadError('VAD_UNAVAILABLE', `The voice-activity model ${modelPath} could not be loaded (${(error as Error).message}). Reinstall the console.`, { cause: error });
      }
    })();
    // A failed load is retried by the next caller rather than cached.
    loading.catch(() => loadedModels.delete(modelPath));
    loadedModels.set(modelPath, loading);
  }
  return loading;
}

/** Releases the shared sessions (at worker shutdown); detectors created later load them again. */
export async function releaseSileroModels(): Promise<void> {
  const models = [...loadedModels.values()];
  loadedModels.clear();
  for (const model of models) {
    const loaded = await model.catch(() => null);
    await loaded?.session.release();
  }
}

export interface SileroVadOptions {
  version?: SileroModelVersion;
  /** Another copy of the model file (e.g. where node_modules is packed). */
  modelPath?: string;
}

/** One audio stream's view of the shared model: speech probability per 32 ms frame. */
export class SileroVad {
  private state: Tensor;
  private readonly context = new Float32Array(contextSamples);
  private readonly input = new Float32Array(contextSamples + sileroFrameSamples);

  private constructor(private readonly model: LoadedModel) {
    this.state = this.emptyState();
  }

  static async create(options: SileroVadOptions = {}): Promise<SileroVad> {
    return new SileroVad(await loadModel(options.modelPath ?? sileroModelPath(options.version)));
  }

  /** The probability (0–1) that this frame of exactly 512 samples at 16 kHz holds speech. */
  async probability(frame: Float32Array): Promise<number> {
    if (frame.length !== sileroFrameSamples) {
      throw new RangeError(`Silero VAD takes frames of ${sileroFrameSamples} samples, not ${frame.length}.`);
    }
    const { runtime, session, sampleRate } = this.model;
    this.input.set(this.context, 0);
    this.input.set(frame, contextSamples);
    this.context.set(frame.subarray(sileroFrameSamples - contextSamples));
    // The tensor keeps a reference to its data; a fresh copy per frame, since `input` is reused.
    const input = new runtime.Tensor('float32', this.input.slice(), [1, this.input.length]);
    let outputs: InferenceSession.ReturnType;
    try {
      outputs = await session.run({ input, state: this.state, sr: sampleRate });
    } catch (error) {
      throw new VadError('VAD_FAILED', `Voice-activity detection failed on a frame (${(error as Error).message}).`, { cause: error });
    }
    const nextState = outputs['stateN'];
    const output = outputs['output'];
    if (!nextState || !output) throw new VadError('VAD_FAILED', 'The voice-activity model returned no output or state; the model file does not match Silero v5/v6.');
    this.state = nextState;
    return Number((output.data as Float32Array)[0]);
  }

  /** Starts a new stream: forgets the recurrent state and context. */
  reset(): void {
    this.state = this.emptyState();
    this.context.fill(0);
  }

  private emptyState(): Tensor {
    return new this.model.runtime.Tensor('float32', new Float32Array(stateSize), [2, 1, 128]);
  }
}
