// Messages between the console and its speech worker (a worker thread in Node and the browser mode,
// an Electron utility process in the app). Plain data only: they cross a thread or process boundary.

export interface WorkerErrorInfo {
  code: string;
  message: string;
}

/** How a line treats recognition that falls behind. */
export type LineMode =
  /** A live call: audio arrives in real time; when recognition is too far behind, old utterances are skipped (they stay recorded). */
  | 'live'
  /** A file: the sender waits for `processedMs` before sending more, so nothing is ever skipped. */
  | 'file';

export type WorkerRequest =
  | { kind: 'load'; requestId: number; modelDir: string }
  | { kind: 'openLine'; lineId: string; mode: LineMode }
  /** 16-bit PCM at 16 kHz, mono. */
  | { kind: 'audio'; lineId: string; pcm: Int16Array }
  /** End of the line's audio: the rest is recognised, then `lineClosed` follows. */
  | { kind: 'closeLine'; lineId: string }
  | { kind: 'shutdown' };

export interface SegmentMessage {
  kind: 'segment';
  lineId: string;
  /** Relative to the line's first sample. */
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
  /** Where the time went, for the benchmark and the logs. */
  timings: {
    /** Wall clock from the utterance's end being detected to its text being ready (queueing included). */
    detectedToTextMs: number;
    /** Voice-activity detection since the previous utterance (sample conversion included). */
    vadMs: number;
    featuresMs: number;
    inferenceMs: number;
  };
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'loaded'; requestId: number; modelName: string; loadMs: number }
  | { kind: 'loadFailed'; requestId: number; error: WorkerErrorInfo }
  | SegmentMessage
  | { kind: 'partial'; lineId: string; startMs: number; endMs: number; text: string }
  /** How much of the line's audio has been through detection and recognition. */
  | { kind: 'progress'; lineId: string; processedMs: number; queuedMs: number; skippedUtterances: number }
  | { kind: 'lineFailed'; lineId: string; error: WorkerErrorInfo }
  | { kind: 'lineClosed'; lineId: string };

/** What the console needs of a worker, whichever kind runs it. */
export interface SpeechWorkerPort {
  post(message: WorkerRequest, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once if the worker stops for any reason other than `terminate()`. */
  onExit(listener: (reason: string) => void): void;
  terminate(): Promise<void>;
}

/** Starts a fresh worker. Node and Electron each provide one. */
export type SpeechWorkerLauncher = () => SpeechWorkerPort;
