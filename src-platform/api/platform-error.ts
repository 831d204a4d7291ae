export const errorStatusCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatusCodes;

/** How long a client should wait before retrying when the database is not answering. */
export const unavailableRetryAfterSeconds = 5;

/** What was wrong with one field; `field` is a dotted path (`fields.summary`, `category.0`), or `(body)`. */
export interface FieldIssue {
  field: string;
  issue: 'missing' | 'wrong_type' | 'empty' | 'too_long' | 'invalid_format' | 'out_of_range' | 'not_allowed';
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fieldIssues?: FieldIssue[];
    details?: Record<string, unknown>;
  };
}

/** A refusal the API reports as data: the client reads `code`, a person reads `message`. */
export class PlatformError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fieldIssues?: FieldIssue[]; details?: Record<string, unknown>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
    this.statusCode = errorStatusCodes[code];
  }

  toBody(): ErrorBody {
    const { fieldIssues, details } = this.extra;
    return { error: { code: this.code, message: this.message, ...(fieldIssues ? { fieldIssues } : {}), ...(details ? { details } : {}) } };
  }
}

export function badRequest(message: string, fieldIssues: FieldIssue[]): PlatformError {
  return new PlatformError('BAD_REQUEST', message, { fieldIssues });
}
