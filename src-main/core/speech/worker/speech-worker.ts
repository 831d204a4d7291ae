import { int16ToFloat32 } from '../audio/pcm';
import { loadSpeechEngine, type SpeechEngine } from '../engine/speech-engine';
import { releaseSileroModels } from '../vad/silero-vad';
import { UtteranceDetector, type Utterance } from '../vad/utterance-detector';
import type { LineMode, WorkerErrorInfo, WorkerMessage, WorkerRequest } from './speech-worker-protocol';

// A live line may fall this far behind before its oldest waiting utterances are skipped: beyond
// it the operator is better served by text about what is being said now. Files never skip.
const maxQueuedLiveAudioMs = 30_000;
// Partial text for an utterance still being spoken, about this often (and only when idle).
const partialIntervalMs = 1_000;
const sampleRate = 16_000;
// An utterance gets this long to be recognised: four times its length, and at least 15 s.
const recognitionLimitPerAudio = 4;
const minimumRecognitionLimitMs = 15_000;

interface QueuedUtterance {
  utterance: Utterance;
  detectedAt: number;
  vadMs: number;
}

interface LineState {
  id: string;
  mode: LineMode;
  /** Null until the detector has loaded; audio that arrives before waits in `pushing`. */
  detector: UtteranceDetector | null;
  /** Audio pushes run one after another per line, in arrival order. */
  pushing: Promise<void>;
  queue: QueuedUtterance[];
  /** The utterance being recognised now, out of the queue so that skipping never touches it. */
  recognisingNow: QueuedUtterance | null;
  receivedMs: number;
  /** Voice-activity time spent since the last utterance was queued (charged to the next one). */
  pendingVadMs: number;
  skippedUtterances: number;
  lastPartialAudioMs: number;
  closing: boolean;
  failed: boolean;
}

export interface WorkerEndpoint {
  post(message: WorkerMessage): void;
  onMessage(listener: (request: WorkerRequest) => void): void;
}

function errorInfo(error: unknown, fallbackCode: string): WorkerErrorInfo {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : fallbackCode;
  return { code, message: error instanceof Error ? error.message : String(error) };
}

const durationMs = (item: QueuedUtterance) => item.utterance.endMs - item.utterance.startMs;
const waitingMs = (line: LineState) => line.queue.reduce((total, item) => total + durationMs(item), 0);
const queuedMs = (line: LineState) => waitingMs(line) + (line.recognisingNow ? durationMs(line.recognisingNow) : 0);

/**
 * The speech worker: voice-activity detection for every open line, and one recogniser that takes
 * finished utterances in the order they ended. Runs off the console's main thread.
 */
export function runSpeechWorker(endpoint: WorkerEndpoint): void {
  let engine: SpeechEngine | null = null;
  const lines = new Map<string, LineState>();
  let recognising = false;

  const progress = (line: LineState) =>
    endpoint.post({
      kind: 'progress',
      lineId: line.id,
      processedMs: line.detector?.processedMs ?? 0,
      queuedMs: queuedMs(line),
      skippedUtterances: line.skippedUtterances,
    });

  const fail = (line: LineState, error: unknown) => {
    if (line.failed) return;
    line.failed = true;
    line.queue = [];
    endpoint.post({ kind: 'lineFailed', lineId: line.id, error: errorInfo(error, 'SPEECH_LINE_FAILED') });
  };

  const finishIfDone = (line: LineState) => {
    if (!line.closing || line.queue.length > 0 || line.recognisingNow) return;
    lines.delete(line.id);
    void line.detector?.dispose();
    endpoint.post({ kind: 'lineClosed', lineId: line.id });
  };

  /** The next utterance to recognise: the one that ended first, across lines. */
  const nextQueued = (): { line: LineState; item: QueuedUtterance } | null => {
    let next: { line: LineState; item: QueuedUtterance } | null = null;
    for (const line of lines.values()) {
      const item = line.queue[0];
      if (item && (!next || item.detectedAt < next.item.detectedAt)) next = { line, item };
    }
    return next;
  };

  const partialCandidate = (): { line: LineState; startMs: number; audio: Float32Array } | null => {
    for (const line of lines.values()) {
      if (line.closing || line.failed || line.queue.length > 0 || line.recognisingNow) continue;
      const current = line.detector?.inProgress();
      if (!current) continue;
      const audioMs = (current.audio.length / sampleRate) * 1000;
      if (audioMs - line.lastPartialAudioMs >= partialIntervalMs) {
        line.lastPartialAudioMs = audioMs;
        return { line, startMs: current.startMs, audio: current.audio };
      }
    }
    return null;
  };

  const recogniseNext = async (): Promise<void> => {
    if (recognising || !engine) return;
    recognising = true;
    try {
      for (let next = nextQueued(); next; next = nextQueued()) {
        const { line, item } = next;
        line.queue.shift();
        line.recognisingNow = item;
        // A model stuck in a loop (repeating itself to the length limit) must not stall the line.
        const signal = AbortSignal.timeout(Math.max(minimumRecognitionLimitMs, recognitionLimitPerAudio * durationMs(item)));
        try {
          const recognition = await engine.transcribe(item.utterance.audio, { signal });
          const text = recognition.text.trim();
          if (text) {
            endpoint.post({
              kind: 'segment',
              lineId: line.id,
              startMs: Math.round(item.utterance.startMs),
              endMs: Math.round(item.utterance.endMs),
              text,
              confidence: recognition.confidence,
              timings: {
                detectedToTextMs: performance.now() - item.detectedAt,
                vadMs: item.vadMs,
                featuresMs: recognition.timings.featuresMs,
                inferenceMs: recognition.timings.inferenceMs,
              },
            });
          }
        } catch (error) {
          if (signal.aborted) line.skippedUtterances += 1;
          else fail(line, error);
        }
        line.recognisingNow = null;
        progress(line);
        finishIfDone(line);
      }
      // Idle: give the operator the words of an utterance still being spoken.
      const partial = partialCandidate();
      if (partial) {
        const recognition = await engine.transcribe(partial.audio).catch(() => null);
        const text = recognition?.text.trim();
        if (text && lines.has(partial.line.id)) {
          endpoint.post({
            kind: 'partial',
            lineId: partial.line.id,
            startMs: Math.round(partial.startMs),
            endMs: Math.round(partial.startMs + (partial.audio.length / sampleRate) * 1000),
            text,
          });
        }
      }
    } finally {
      recognising = false;
    }
    // Anything that arrived while the last recognition ran.
    if (nextQueued()) void recogniseNext();
  };

  const enqueue = (line: LineState, utterances: Utterance[]) => {
    for (const utterance of utterances) {
      line.queue.push({ utterance, detectedAt: performance.now(), vadMs: line.pendingVadMs });
      line.pendingVadMs = 0;
      line.lastPartialAudioMs = 0;
    }
    if (line.mode === 'live') {
      while (line.queue.length > 1 && waitingMs(line) > maxQueuedLiveAudioMs) {
        line.queue.shift();
        line.skippedUtterances += 1;
      }
    }
    if (!engine) line.queue = []; // no recogniser: detection only (the line is still recorded)
  };

  const handle = async (request: WorkerRequest): Promise<void> => {
    switch (request.kind) {
      case 'load': {
        const started = performance.now();
        try {
          const loaded = await loadSpeechEngine(request.modelDir);
          await engine?.dispose();
          engine = loaded;
          endpoint.post({ kind: 'loaded', requestId: request.requestId, modelName: loaded.modelName, loadMs: performance.now() - started });
        } catch (error) {
          endpoint.post({ kind: 'loadFailed', requestId: request.requestId, error: errorInfo(error, 'SPEECH_MODEL_LOAD_FAILED') });
        }
        return;
      }
      case 'openLine': {
        // The line exists at once, so that audio sent right after opening it waits for the
        // detector instead of being dropped.
        const line: LineState = {
          id: request.lineId,
          mode: request.mode,
          detector: null,
          pushing: Promise.resolve(),
          queue: [],
          recognisingNow: null,
          receivedMs: 0,
          pendingVadMs: 0,
          skippedUtterances: 0,
          lastPartialAudioMs: 0,
          closing: false,
          failed: false,
        };
        lines.set(request.lineId, line);
        line.pushing = UtteranceDetector.create().then(
          (detector) => {
            line.detector = detector;
          },
          (error: unknown) => {
            line.failed = true;
            endpoint.post({ kind: 'lineFailed', lineId: request.lineId, error: errorInfo(error, 'SPEECH_VAD_FAILED') });
          },
        );
        return;
      }
      case 'audio': {
        const line = lines.get(request.lineId);
        if (!line || line.closing || line.failed) return;
        const converting = performance.now();
        const samples = int16ToFloat32(request.pcm);
        line.pendingVadMs += performance.now() - converting;
        line.receivedMs += (samples.length / sampleRate) * 1000;
        line.pushing = line.pushing.then(async () => {
          if (line.failed) return;
          try {
            const started = performance.now();
            if (!line.detector) return;
            const utterances = await line.detector.push(samples);
            line.pendingVadMs += performance.now() - started;
            enqueue(line, utterances);
            progress(line);
            void recogniseNext();
          } catch (error) {
            fail(line, error);
          }
        });
        return;
      }
      case 'closeLine': {
        const line = lines.get(request.lineId);
        if (!line) {
          endpoint.post({ kind: 'lineClosed', lineId: request.lineId });
          return;
        }
        line.pushing = line.pushing.then(async () => {
          try {
            if (!line.failed && line.detector) enqueue(line, await line.detector.flush());
          } catch (error) {
            fail(line, error);
          }
          line.closing = true;
          if (line.failed) line.queue = [];
          progress(line);
          finishIfDone(line);
          void recogniseNext();
        });
        return;
      }
      case 'shutdown': {
        for (const line of lines.values()) await line.detector?.dispose();
        lines.clear();
        await releaseSileroModels();
        await engine?.dispose();
        engine = null;
        return;
      }
    }
  };

  endpoint.onMessage((request) => {
    void handle(request);
  });
  endpoint.post({ kind: 'ready' });
}
