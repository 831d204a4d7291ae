import type { Call, CallSuggestions, CaseSummary, ScriptPlayback, TranscriptSegment } from './domain';
import type { CaseDraft, CategoryModelVersion, Hotspot } from './drafting';
import type { AudioLine, PartialTranscript, RecordingImport, SpeechStatus } from './speech';
import type { CaseSyncChange, SyncStatus } from './sync';

/** Events pushed from the main side to every connected renderer. */
export interface EventPayloads {
  /** A finished utterance: typed, scripted or recognised, all through this one path. */
  onTranscriptSegmentAdded: TranscriptSegment;
  onCallChanged: Call;
  onScriptPlaybackChanged: ScriptPlayback;
  onCaseChanged: CaseSummary;
  /** Policy answers and past cases matching what has been said, refreshed after every utterance. */
  onSuggestionsUpdated: CallSuggestions;
  onSpeechStatusChanged: SpeechStatus;
  /** A line opened, closed, failed, or its recognition fell behind or caught up. */
  onAudioLineChanged: AudioLine;
  /** Text of an utterance still being spoken (about every second). */
  onPartialTranscript: PartialTranscript;
  onRecordingImportChanged: RecordingImport;
  /** The work-order proposals for a call, refreshed after each utterance. */
  onDraftUpdated: CaseDraft;
  /** A new hotspot, or one that grew. */
  onHotspotDetected: Hotspot;
  /** A category model was trained or restored and is now the active one. */
  onCategoryModelChanged: CategoryModelVersion;
  /** Queue length, last contact, state or last error of the sync with the central platform changed. */
  onSyncStatusChanged: SyncStatus;
  /** A case was queued, delivered, refused or retried, or its status on the platform changed. */
  onCaseSyncChanged: CaseSyncChange;
}

export type EventName = keyof EventPayloads;

export const eventNames: EventName[] = [
  'onTranscriptSegmentAdded',
  'onCallChanged',
  'onScriptPlaybackChanged',
  'onCaseChanged',
  'onSuggestionsUpdated',
  'onSpeechStatusChanged',
  'onAudioLineChanged',
  'onPartialTranscript',
  'onRecordingImportChanged',
  'onDraftUpdated',
  'onHotspotDetected',
  'onCategoryModelChanged',
  'onSyncStatusChanged',
  'onCaseSyncChanged',
];

export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventPayloads[E];
}

/** The one object the Electron preload exposes and the WebSocket client imitates. */
export interface ConsoleBridge {
  invoke(method: string, request: unknown): Promise<unknown>;
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
  /** One frame of an open audio line: 16-bit little-endian mono PCM at `audioSampleRate`. Fire and forget. */
  sendAudio(lineId: string, frame: ArrayBuffer): void;
  /** Stores a file (a recorded call) for a later method to use; resolves with a `Result` of `{ uploadId }`. */
  upload(fileName: string, data: ArrayBuffer): Promise<unknown>;
}

/** Name under which the preload exposes the bridge on `window`. */
export const bridgeGlobalName = 'hotlineConsole';
