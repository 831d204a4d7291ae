// Errors cross every process boundary as data, never as a thrown exception, so that the
// renderer can tell the operator what happened and what to do without parsing stack traces.

export const errorCodes = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CALL_ENDED',
  'CASE_ALREADY_CONFIRMED',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'PAYLOAD_TOO_LARGE',
  'STORAGE_CORRUPT',
  'STORAGE_READ_ONLY',
  'STORAGE_FULL',
  'STORAGE_LOCKED',
  'STORAGE_TOO_NEW',
  'STORAGE_UNAVAILABLE',
  /** No speech model is ready (none installed, still loading, or failed): the operator types. */
  'SPEECH_UNAVAILABLE',
  /** An audio file that cannot be read: unsupported format, damaged, empty or too long. */
  'AUDIO_INVALID',
  /** The category model could not be trained (too few cases, or fewer than two categories). */
  'TRAINING_FAILED',
  /** A case cannot be confirmed while a proposed field has not been reviewed. */
  'UNREVIEWED_PROPOSALS',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One problem with one field of a request, e.g. `{ field: 'callerPhone', issue: 'invalid_phone' }`. */
export interface FieldIssue {
  field: string;
  issue: string;
  message: string;
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  fieldIssues?: FieldIssue[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
