import { z } from 'zod';
import {
  caseFieldsSchema,
  caseStates,
  maxSegmentTextLength,
  speakers,
  type AddressSuggestion,
  type AppStatus,
  type Call,
  type Case,
  type CallSuggestions,
  type CaseSummary,
  type KnowledgeArticle,
  type ReferenceSnapshot,
  type SampleCallSummary,
  type SearchResults,
  type ScriptPlayback,
  type TranscriptSegment,
} from './domain';
import { draftFieldNames, fieldReviewStates, type CaseDraft, type CategoryModelVersion, type Hotspot, type SuggestionReportRow } from './drafting';
import type { AudioLine, Recording, SpeechModelInfo, SpeechStatus } from './speech';
import { syncMethodRequestSchemas, type SyncMethodResponses } from './sync';

const entityId = z.string().uuid();
const maxQueryLength = 500;
const empty = z.object({}).strict();

/** Saving a draft and confirming take the same request: the case (or the call it belongs to) and every field. */
const caseWriteRequest = z
  .object({
    caseId: entityId.nullable().default(null),
    callId: entityId.nullable().default(null),
    fields: caseFieldsSchema,
    /**
     * How the operator dealt with each proposed field (fields never proposed are left out). The
     * proposals and these final states feed the suggestion log; confirming refuses `proposed`.
     */
    review: z.partialRecord(z.enum(draftFieldNames), z.enum(fieldReviewStates)).default({}),
  })
  .strict();

/**
 * Every method the console offers, with the schema its request must satisfy. Both transports
 * (Electron IPC and the HTTP host) validate against these before any service sees a payload.
 */
export const methodRequestSchemas = {
  'app.getStatus': empty,
  /** Tries again to open storage after a failure (the other console closed, the disk was freed). */
  'app.retryStorage': empty,
  'reference.get': empty,
  'reference.suggestAddress': z
    .object({ text: z.string().trim().min(1).max(60), limit: z.number().int().min(1).max(50).default(10) })
    .strict(),
  'calls.start': z
    .object({
      callerLine: z.string().trim().max(40).nullable().default(null),
    })
    .strict(),
  'calls.end': z.object({ callId: entityId }).strict(),
  'calls.get': z.object({ callId: entityId }).strict(),
  'transcript.addTyped': z
    .object({
      callId: entityId,
      speaker: z.enum(speakers),
      text: z.string().trim().min(1).max(maxSegmentTextLength),
    })
    .strict(),
  'scripts.list': empty,
  'scripts.play': z
    .object({
      callId: entityId,
      scriptId: z.string().min(1).max(80),
      /** Playback speed: 1 is the recorded pace; demos and tests may go faster. */
      speed: z.number().min(0.25).max(200).default(1),
    })
    .strict(),
  'scripts.stop': z.object({ callId: entityId }).strict(),
  'cases.saveDraft': caseWriteRequest,
  'cases.confirm': caseWriteRequest,
  'cases.get': z.object({ caseId: entityId }).strict(),
  /** The operator's own query; the same engine as the live suggestions. */
  'search.query': z
    .object({
      // Long pasted text is cut, not refused: the first words are what a search can use.
      query: z.string().transform((text) => text.slice(0, maxQueryLength)),
      scope: z.enum(['all', 'kb', 'cases']).default('all'),
      limit: z.number().int().min(1).max(50).default(8),
    })
    .strict(),
  'search.forCall': z.object({ callId: entityId }).strict(),
  /** The work-order fields proposed from the call so far (also pushed as `onDraftUpdated`). */
  'drafts.forCall': z.object({ callId: entityId }).strict(),
  /** Acceptance and edit rates of the proposals, per field and category-model version. */
  'drafts.report': empty,
  /** Current hotspots: clusters of cases on one place and matter, and unusually busy days. */
  'hotspots.list': z.object({ windowDays: z.number().int().min(1).max(90).default(7), minimumCases: z.number().int().min(2).max(100).default(3) }).strict(),
  /** The category model's versions, newest first, with their training data and scores. */
  'categoryModels.list': empty,
  /** Makes an earlier version the active one again (restore after a worse retraining). */
  'categoryModels.activate': z.object({ version: z.number().int().min(1) }).strict(),
  'kb.get': z.object({ id: z.string().min(1).max(200) }).strict(),
  'speech.getStatus': empty,
  /** Installed models, each checked against its manifest's sha256 sums. */
  'speech.listModels': empty,
  /** Makes an installed model the active one and loads it. */
  'speech.selectModel': z.object({ name: z.string().trim().min(1).max(100) }).strict(),
  /**
   * Opens one audio input of a call (the operator's headset or the caller's line): its frames, sent
   * with the bridge's `sendAudio`, are recorded and recognised until the line is closed.
   */
  'audio.openLine': z.object({ callId: entityId, speaker: z.enum(speakers) }).strict(),
  'audio.closeLine': z.object({ lineId: entityId }).strict(),
  'recordings.list': z.object({ callId: entityId }).strict(),
  /**
   * Transcribes a recorded call (sent first with the bridge's `upload`) into a new call: its lines
   * arrive as the call's transcript, as they would live; `onRecordingImportChanged` reports progress.
   */
  'calls.importRecording': z.object({ uploadId: entityId, fileName: z.string().trim().min(1).max(255) }).strict(),
  'cases.search': z
    .object({
      query: z.string().trim().max(100).default(''),
      state: z.enum(caseStates).nullable().default(null),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
  ...syncMethodRequestSchemas,
} as const;

export interface MethodResponses extends SyncMethodResponses {
  'app.getStatus': AppStatus;
  'app.retryStorage': AppStatus;
  'reference.get': ReferenceSnapshot;
  'reference.suggestAddress': AddressSuggestion[];
  'calls.start': Call;
  'calls.end': Call;
  'calls.get': { call: Call; segments: TranscriptSegment[] };
  'transcript.addTyped': TranscriptSegment;
  'scripts.list': SampleCallSummary[];
  'scripts.play': ScriptPlayback;
  'scripts.stop': ScriptPlayback | null;
  'cases.saveDraft': Case;
  'cases.confirm': Case;
  'cases.get': { case: Case; segments: TranscriptSegment[] };
  'cases.search': { items: CaseSummary[]; total: number };
  'search.query': SearchResults;
  'search.forCall': CallSuggestions;
  'drafts.forCall': CaseDraft;
  'drafts.report': SuggestionReportRow[];
  'hotspots.list': Hotspot[];
  'categoryModels.list': CategoryModelVersion[];
  'categoryModels.activate': CategoryModelVersion;
  'kb.get': KnowledgeArticle;
  'speech.getStatus': SpeechStatus;
  'speech.listModels': SpeechModelInfo[];
  'speech.selectModel': SpeechStatus;
  'audio.openLine': AudioLine;
  'audio.closeLine': AudioLine;
  'recordings.list': Recording[];
  'calls.importRecording': Call;
}

export type MethodName = keyof typeof methodRequestSchemas;
/** What a caller may send (defaults may be left out). */
export type MethodRequest<M extends MethodName> = z.input<(typeof methodRequestSchemas)[M]>;
/** What a service receives after validation (defaults filled in). */
export type ValidatedRequest<M extends MethodName> = z.output<(typeof methodRequestSchemas)[M]>;
export type MethodResponse<M extends MethodName> = MethodResponses[M];

export const methodNames = Object.keys(methodRequestSchemas) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodRequestSchemas, name);
}
