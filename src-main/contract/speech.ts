import type { Speaker } from './domain';

/** Audio travels from the renderer as 16-bit little-endian mono PCM at this rate, in frames of any length. */
export const audioSampleRate = 16_000;
/** The most audio one frame may carry (1 s); the renderer sends about 100 ms at a time. */
export const maxAudioFrameBytes = audioSampleRate * 2;

/** Which recognition engine a model folder is for (one today; the interface allows more). */
export const speechEngines = ['whisper'] as const;
export type SpeechEngineName = (typeof speechEngines)[number];

/** An installed model, as its manifest describes it. */
export interface SpeechModelInfo {
  /** Folder name under models/, e.g. whisper-base. */
  name: string;
  engine: SpeechEngineName;
  description: string;
  licence: string;
  /** Where the files came from (a hub repository and revision, or "imported from …"). */
  source: string;
  sizeBytes: number;
  /** Result of the last sha256 check of every file: null until checked. */
  verified: boolean | null;
}

export type SpeechState =
  /** No model installed (or none selected): the operator types. */
  | 'no-model'
  | 'loading'
  | 'ready'
  /** The model could not be loaded or the recogniser stopped; the message says what to do. */
  | 'error';

export interface SpeechStatus {
  state: SpeechState;
  /** The active model, when one is installed. */
  model: SpeechModelInfo | null;
  /** Error code for the renderer to explain (SPEECH_NO_MODEL, SPEECH_MODEL_INVALID, SPEECH_WORKER_FAILED, …). */
  code: string | null;
  /** What happened and what to do, in plain words (English; the renderer translates by code). */
  message: string;
}

export type AudioLineState = 'open' | 'closed' | 'failed';

/** One audio input of a call (the operator's headset, or the caller's line), recorded and recognised. */
export interface AudioLine {
  id: string;
  callId: string;
  speaker: Speaker;
  state: AudioLineState;
  /** Whether the line's speech is being recognised (false: recorded only, e.g. no model was ready when it opened). */
  recognised: boolean;
  /** Audio received so far, in milliseconds since the line opened. */
  receivedMs: number;
  /** Audio received but not yet recognised. Grows when recognition falls behind. */
  backlogMs: number;
  /** True while recognition is behind by more than the console tolerates; the UI says so. */
  fallingBehind: boolean;
  /** Utterances left unrecognised because recognition fell too far behind (their audio is still recorded). */
  skippedUtterances: number;
  /** Why the line failed or closed early, in plain words; null otherwise. */
  message: string | null;
}

/** Text of an utterance still being spoken, refreshed about every second; replaced by a segment when it ends. */
export interface PartialTranscript {
  callId: string;
  lineId: string;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
}

/** A recorded line of a call: a WAV file in the data folder, time-aligned with the transcript. */
export interface Recording {
  id: string;
  callId: string;
  speaker: Speaker;
  /** Path relative to the data folder. */
  path: string;
  sampleRate: number;
  durationMs: number;
  /** Where the recording's time 0 falls on the call's clock (the transcript's startMs/endMs). */
  offsetMs: number;
  createdAt: string;
}

/** Close codes of the browser mode's audio socket (`/api/audio?token=…&line=…`). */
export const audioSocketCloseCodes = {
  /** The line is not open (never was, or was closed): open a new one with `audio.openLine`. */
  unknownLine: 4404,
  /** A text message arrived: frames are binary PCM. */
  unsupportedData: 1003,
} as const;

/** The largest recording that may be uploaded for import (about 12 hours of 16-bit stereo at 22 kHz). */
export const maxUploadBytes = 2 * 2 ** 30;

export type RecordingImportState = 'transcribing' | 'finished' | 'failed';

/** A recorded call being imported: transcribed into a call of its own, as a live call would be. */
export interface RecordingImport {
  callId: string;
  fileName: string;
  state: RecordingImportState;
  /** Audio transcribed so far, and the file's length when known. */
  processedMs: number;
  durationMs: number | null;
  /** Why it failed, in plain words; null otherwise. */
  message: string | null;
}
