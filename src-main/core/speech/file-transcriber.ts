import type { Speaker } from '../../contract';
import { float32ToInt16 } from './audio/pcm';
import { openAudioFile, type AudioFileInfo } from './audio/audio-file';
import type { SegmentMessage, SpeechWorkerLauncher, WorkerErrorInfo, WorkerMessage } from './worker/speech-worker-protocol';

/** A recognised utterance of a file, on the file's own clock. */
export interface FileSegment {
  speaker: Speaker;
  channel: number;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
}

export interface FileTranscript {
  file: AudioFileInfo;
  modelName: string;
  segments: FileSegment[];
  /** Wall-clock time the transcription took. */
  elapsedMs: number;
}

export class TranscriptionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TranscriptionError';
  }
}

// How much audio may be sent ahead of recognition: enough to keep the worker busy, never the
// whole file (a three-hour recording must not sit in memory).
const maxAudioAheadMs = 30_000;

/** A stereo file's channels are the two sides of the call: left the caller, right the operator. */
export function speakerOfChannel(channel: number): Speaker {
  return channel === 1 ? 'operator' : 'caller';
}

/**
 * Transcribes a recorded call through the same worker, voice-activity detection and recogniser as
 * a live call, sending the audio only as fast as it is recognised.
 */
export async function transcribeFile(
  path: string,
  options: {
    modelDir: string;
    launchWorker: SpeechWorkerLauncher;
    onSegment?: (segment: FileSegment) => void;
    /** Called once the file is open, before any audio is recognised. */
    onOpened?: (file: AudioFileInfo) => Promise<void> | void;
    /** Each block of audio (16 kHz, one array per channel) before it is recognised, e.g. to record it. */
    onBlock?: (channels: Float32Array[]) => Promise<void> | void;
    /** Audio sent for recognition so far. */
    onProgress?: (sentMs: number) => void;
  },
): Promise<FileTranscript> {
  const started = performance.now();
  const audio = await openAudioFile(path);
  await options.onOpened?.(audio.info);
  const worker = options.launchWorker();
  const segments: FileSegment[] = [];
  const lineIds = Array.from({ length: Math.min(audio.info.channels, 2) }, (_, channel) => `channel-${channel}`);
  const processed = new Map(lineIds.map((lineId) => [lineId, { processedMs: 0, queuedMs: 0 }]));
  const closed = new Set<string>();
  let failure: WorkerErrorInfo | null = null;
  let wake: () => void = () => {};
  const changed = () => new Promise<void>((resolve) => (wake = resolve));

  let loaded: { modelName: string } | null = null;
  // Read through a function: the worker's callbacks set `failure` behind the compiler's back.
  const throwIfFailed = () => {
    if (failure) throw new TranscriptionError(failure.code, failure.message);
  };
  const isLoaded = () => loaded !== null;
  const hasFailed = () => failure !== null;
  worker.onExit((reason) => {
    failure ??= { code: 'SPEECH_WORKER_FAILED', message: reason };
    wake();
  });
  worker.onMessage((message: WorkerMessage) => {
    switch (message.kind) {
      case 'loaded':
        loaded = { modelName: message.modelName };
        break;
      case 'loadFailed':
        failure = message.error;
        break;
      case 'segment': {
        const channel = lineIds.indexOf(message.lineId);
        const segment = toFileSegment(message, channel);
        segments.push(segment);
        options.onSegment?.(segment);
        break;
      }
      case 'progress':
        processed.set(message.lineId, { processedMs: message.processedMs, queuedMs: message.queuedMs });
        break;
      case 'lineFailed':
        failure = message.error;
        break;
      case 'lineClosed':
        closed.add(message.lineId);
        break;
      default:
        return;
    }
    wake();
  });

  try {
    worker.post({ kind: 'load', requestId: 1, modelDir: options.modelDir });
    while (!isLoaded() && !hasFailed()) await changed();
    throwIfFailed();
    for (const lineId of lineIds) worker.post({ kind: 'openLine', lineId, mode: 'file' });

    let sentMs = 0;
    for await (const block of audio.blocks()) {
      await options.onBlock?.(block.slice(0, lineIds.length));
      for (const [channel, lineId] of lineIds.entries()) {
        const samples = block[channel];
        if (!samples || samples.length === 0) continue;
        const pcm = float32ToInt16(samples);
        worker.post({ kind: 'audio', lineId, pcm }, [pcm.buffer as ArrayBuffer]);
      }
      sentMs += ((block[0]?.length ?? 0) / 16_000) * 1000;
      options.onProgress?.(sentMs);
      // Wait while the slowest line is too far behind what was sent.
      const behind = () => Math.max(...lineIds.map((lineId) => {
        const line = processed.get(lineId) ?? { processedMs: 0, queuedMs: 0 };
        return sentMs - line.processedMs + line.queuedMs;
      }));
      while (!hasFailed() && behind() > maxAudioAheadMs) await changed();
      throwIfFailed();
    }
    for (const lineId of lineIds) worker.post({ kind: 'closeLine', lineId });
    while (!hasFailed() && closed.size < lineIds.length) await changed();
    throwIfFailed();
  } finally {
    worker.post({ kind: 'shutdown' });
    await worker.terminate();
  }
  segments.sort((a, b) => a.startMs - b.startMs || a.channel - b.channel);
  return { file: audio.info, modelName: (loaded as { modelName: string } | null)?.modelName ?? '', segments, elapsedMs: performance.now() - started };
}

function toFileSegment(message: SegmentMessage, channel: number): FileSegment {
  return {
    speaker: speakerOfChannel(channel),
    channel,
    startMs: message.startMs,
    endMs: message.endMs,
    text: message.text,
    confidence: message.confidence,
  };
}
