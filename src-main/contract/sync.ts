import { z } from 'zod';

/**
 * Sync with the city's central platform: confirmed cases leave the console through an outbox and
 * come back with the platform's status (dispatched, handled, closed, follow-up verdict).
 */

/**
 * Why the platform could not be reached or refused something. The first group are the platform's own
 * error codes (its `{error: {code}}` body); the `PLATFORM_*` ones are what the console saw itself.
 */
export const syncErrorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'TOKEN_REVOKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL',
  'UNAVAILABLE',
  /** No answer: connection refused or reset, name not found, network down. */
  'PLATFORM_UNREACHABLE',
  /** No answer within the request timeout. */
  'PLATFORM_TIMEOUT',
  /** The answer was HTML or otherwise not JSON: usually a wrong URL or a proxy's page. */
  'PLATFORM_NOT_JSON',
  /** JSON, but not what the platform's API answers. */
  'PLATFORM_BAD_RESPONSE',
  /** The platform answered with a redirect: the URL in Settings should be the one it points to. */
  'PLATFORM_REDIRECTED',
  /** An HTTP status the API does not use, without an error body. */
  'PLATFORM_HTTP_ERROR',
  /** No platform URL or station token in Settings. */
  'PLATFORM_NOT_CONFIGURED',
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

export interface SyncError {
  code: SyncErrorCode;
  /** The platform's own words where it gave some (English), else the console's. */
  message: string;
}

/**
 * `idle`: nothing due; `sending`: a pass is delivering cases; `offline`: the platform cannot be
 * reached or asked the console to wait (retried by itself); `error`: the platform refuses the
 * settings (token, URL) and sending waits until they are fixed; `not-configured`: no URL or token.
 */
export const syncStates = ['idle', 'sending', 'offline', 'not-configured', 'error'] as const;
export type SyncState = (typeof syncStates)[number];

/** Beyond this many seconds between the console's clock and the platform's, the status warns. */
export const clockSkewWarningSeconds = 300;

export interface SyncStatus {
  configured: boolean;
  platformUrl: string | null;
  /** The station token is never sent to the renderer: only its last four characters. */
  tokenHint: string | null;
  /** Confirmed cases waiting to be delivered. */
  queueLength: number;
  /** Cases the platform refused; they wait for the operator (fix the settings, then retry). */
  failedCount: number;
  /** The last time the platform answered a request successfully. */
  lastContactAt: string | null;
  lastError: SyncError | null;
  /** The console's clock minus the platform's, in seconds, as last measured (positive: the console is ahead). */
  clockSkewSeconds: number | null;
  /** |clockSkewSeconds| is above `clockSkewWarningSeconds`: the console's clock needs fixing. */
  clockSkewWarning: boolean;
  state: SyncState;
}

export const platformCaseStatuses = ['received', 'dispatched', 'handled', 'closed'] as const;
export type PlatformCaseStatusName = (typeof platformCaseStatuses)[number];

export const followUpVerdicts = ['satisfied', 'unsatisfied', 'unreachable'] as const;
export type FollowUpVerdict = (typeof followUpVerdicts)[number];

/** Where the case stands on the platform, as its change feed last said. */
export interface PlatformCaseStatus {
  status: PlatformCaseStatusName;
  department: string | null;
  reply: string | null;
  followUpVerdict: FollowUpVerdict | null;
  changedAt: string;
}

export const caseSyncStates = ['not-confirmed', 'waiting', 'sent', 'failed'] as const;
export type CaseSyncStateName = (typeof caseSyncStates)[number];

export interface CaseSyncState {
  state: CaseSyncStateName;
  /** Delivery attempts that got an answer (or none) so far. */
  attempts: number;
  /** When a waiting case is tried next. */
  nextAttemptAt: string | null;
  /** Why the last attempt failed: for `failed` the reason it stopped, for `waiting` the reason it is retried. */
  error: SyncError | null;
  /** The platform's number for the case (also kept on a conflict, to find the other record). */
  platformNumber: string | null;
  platformStatus: PlatformCaseStatus | null;
}

export type CaseSyncChange = { caseId: string } & CaseSyncState;

/** What `sync.configure` found when it tried the new settings. */
export interface SyncCheck {
  ok: boolean;
  /** `GET /v1/health` answered. */
  reachable: boolean;
  /** The station token was accepted (an authenticated request succeeded). */
  authorised: boolean;
  /** The platform's storage, as its health check reports it. */
  database: string | null;
  clockSkewSeconds: number | null;
  error: SyncError | null;
}

export interface SyncConfigureResult {
  status: SyncStatus;
  check: SyncCheck;
}

const caseId = z.string().uuid();

/** Only http(s), no credentials, query or fragment in the URL: the token travels in a header. */
export const platformUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// address without user name, query or fragment, e.g. https://platform.example.gov.cn');

export const syncMethodRequestSchemas = {
  /** Queue length, last contact, last error, clock skew, and whether sync is configured. */
  'sync.getStatus': z.object({}).strict(),
  /**
   * Saves the platform URL and the station token (null or empty keeps the token already saved), then
   * tries them: health check and one authenticated request. The settings are kept whatever the result.
   */
  'sync.configure': z
    .object({
      platformUrl: platformUrlSchema,
      token: z
        .string()
        .trim()
        .max(500)
        .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces')
        .nullable()
        .default(null),
    })
    .strict(),
  /** Puts every refused case back in the queue (after the settings or the platform were fixed). */
  'sync.retryFailed': z.object({}).strict(),
  'sync.caseState': z.object({ caseId }).strict(),
  /** The sync state of several cases at once (a page of the case list). */
  'sync.caseStates': z.object({ caseIds: z.array(caseId).max(200) }).strict(),
} as const;

export interface SyncMethodResponses {
  'sync.getStatus': SyncStatus;
  'sync.configure': SyncConfigureResult;
  'sync.retryFailed': { requeued: number; status: SyncStatus };
  'sync.caseState': CaseSyncState;
  'sync.caseStates': CaseSyncChange[];
}
