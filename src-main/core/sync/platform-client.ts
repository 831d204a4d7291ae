import { z } from 'zod';
import { followUpVerdicts, platformCaseStatuses, syncErrorCodes, type SyncError, type SyncErrorCode } from '../../contract';
import { parseRetryAfter } from './backoff';
import { nodeHttpFetch } from './http-transport';

/**
 * What to do after a failure:
 * - `transient`: the platform or the network may come back by itself; the case stays waiting and is retried with backoff;
 * - `settings`: the platform refuses this console (token, URL); every case would fail the same way, so the
 *   case is marked failed and sending waits until the operator fixes the settings;
 * - `rejected`: the platform refuses this one case (its content, a conflict); the case is marked failed, the rest go on.
 */
export type FailureKind = 'transient' | 'settings' | 'rejected';

export class PlatformError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly kind: FailureKind,
    readonly extra: {
      status?: number | null;
      /** From a Retry-After header, in milliseconds. */
      retryAfterMs?: number | null;
      /** A conflict's platform number (the record already there under this case id). */
      platformNumber?: string | null;
      details?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }

  get status(): number | null {
    return this.extra.status ?? null;
  }

  get retryAfterMs(): number | null {
    return this.extra.retryAfterMs ?? null;
  }

  get platformNumber(): string | null {
    return this.extra.platformNumber ?? null;
  }

  toSyncError(): SyncError {
    return { code: this.code, message: this.message };
  }
}

/** The request was given up because the console is closing; nothing is recorded for it. */
export class SyncStoppedError extends Error {
  constructor() {
    super('The sync was stopped.');
    this.name = 'SyncStoppedError';
  }
}

export const notJsonMessage = 'the platform answered with HTML, not JSON: is the URL right?';

// The platform's error codes, and what kind of failure each is when its status does not already say.
const platformErrorCodes = new Set<string>(syncErrorCodes.filter((code) => !code.startsWith('PLATFORM_')));

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().default(''),
    details: z.unknown().optional(),
  }),
});

export const healthSchema = z.object({
  status: z.string(),
  database: z.string().nullable().default(null),
  time: z.string().nullable().default(null),
});
export type PlatformHealth = z.infer<typeof healthSchema>;

const cursorSchema = z.union([z.string(), z.number()]).transform((value) => String(value));

export const putCaseResponseSchema = z.object({
  caseId: z.string(),
  platformNumber: z.union([z.string().min(1), z.number()]).transform((value) => String(value)),
  receivedAt: z.string().nullable().default(null),
  status: z.string().default('received'),
  duplicate: z.boolean().default(false),
  ignoredFields: z.array(z.string()).default([]),
  clockSkewSeconds: z.number().nullable().default(null),
  warnings: z.array(z.unknown()).default([]),
});
export type PutCaseResponse = z.infer<typeof putCaseResponseSchema>;

export const platformChangeSchema = z.object({
  cursor: cursorSchema,
  caseId: z.string(),
  platformNumber: z.union([z.string(), z.number()]).transform((value) => String(value)),
  stationCode: z.string().nullable().default(null),
  status: z.enum(platformCaseStatuses),
  department: z.string().nullable().default(null),
  reply: z.string().nullable().default(null),
  followUpVerdict: z.enum(followUpVerdicts).nullable().default(null),
  changedAt: z.string(),
});
export type PlatformChange = z.infer<typeof platformChangeSchema>;

export const changesPageSchema = z.object({
  changes: z.array(platformChangeSchema),
  nextCursor: cursorSchema.nullable().default(null),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;

/** What an HTTP exchange produced, before its body is trusted: the parts the classification reads. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  location: string | null;
  body: string;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function looksLikeHtml(answer: RawAnswer): boolean {
  return /\bhtml\b/i.test(answer.contentType ?? '') || /^\s*</.test(answer.body);
}

/** The kind of failure an HTTP status means when the body names no code we know. */
function kindOfStatus(status: number): FailureKind {
  if (status >= 500 || status === 429 || status === 408) return 'transient';
  if (status === 401 || status === 403 || status === 404) return 'settings';
  return 'rejected';
}

const kindOfCode: Partial<Record<SyncErrorCode, FailureKind>> = {
  UNAUTHORIZED: 'settings',
  TOKEN_REVOKED: 'settings',
  FORBIDDEN: 'settings',
  NOT_FOUND: 'settings',
  RATE_LIMITED: 'transient',
  INTERNAL: 'transient',
  UNAVAILABLE: 'transient',
};

const codeOfStatus: Record<number, SyncErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * Turns an answer into its JSON body, or into a `PlatformError` that says what happened and what kind
 * of failure it is. Never throws anything else: an HTML page, broken JSON or an empty body are errors
 * with a message the operator can act on.
 */
export function classifyAnswer(answer: RawAnswer, now: Date): { ok: true; json: unknown } | { ok: false; error: PlatformError } {
  const { status } = answer;
  const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
  if (status >= 300 && status < 400) {
    const target = answer.location ? ` to ${answer.location}` : '';
    return {
      ok: false,
      error: new PlatformError('PLATFORM_REDIRECTED', `the platform redirected the request${target} (HTTP ${status}): put the address it points to in Settings`, 'settings', { status }),
    };
  }
  let json: unknown;
  let parsed = false;
  if (answer.body.trim()) {
    try {
      json = JSON.parse(answer.body);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  const success = status >= 200 && status < 300;
  if (!parsed) {
    const statusNote = success ? '' : ` (HTTP ${status})`;
    // A proxy's error page in front of a failing platform is still worth retrying; what the operator
    // can act on is the message.
    const kind: FailureKind = 'transient';
    if (!answer.body.trim()) {
      if (!success) {
        const code = codeOfStatus[status] ?? 'PLATFORM_HTTP_ERROR';
        return { ok: false, error: new PlatformError(code, `the platform answered HTTP ${status} with an empty body`, kindOfCode[code] ?? kindOfStatus(status), { status, retryAfterMs }) };
      }
      return { ok: false, error: new PlatformError('PLATFORM_BAD_RESPONSE', `the platform answered HTTP ${status} with an empty body, not JSON: is the URL right?`, kind, { status, retryAfterMs }) };
    }
    if (looksLikeHtml(answer)) {
      return { ok: false, error: new PlatformError('PLATFORM_NOT_JSON', `${notJsonMessage}${statusNote}`, kind, { status, retryAfterMs }) };
    }
    const type = answer.contentType ? `${answer.contentType.split(';')[0]?.trim()}` : 'no content type';
    return {
      ok: false,
      error: new PlatformError('PLATFORM_NOT_JSON', `the platform answered with something that is not JSON (${type}: "${snippet(answer.body)}")${statusNote}: is the URL right?`, kind, {
        status,
        retryAfterMs,
      }),
    };
  }
  if (success) return { ok: true, json };

  const errorBody = errorBodySchema.safeParse(json);
  const statusCode = codeOfStatus[status];
  const bodyCode = errorBody.success && platformErrorCodes.has(errorBody.data.error.code) ? (errorBody.data.error.code as SyncErrorCode) : undefined;
  const code: SyncErrorCode = bodyCode ?? statusCode ?? 'PLATFORM_HTTP_ERROR';
  // The status decides retrying (a proxy may put any body on a 503); the code refines 4xx answers.
  const kind: FailureKind = status >= 500 || status === 429 || status === 408 ? 'transient' : (kindOfCode[code] ?? kindOfStatus(status));
  const platformMessage = errorBody.success ? errorBody.data.error.message : '';
  const details = errorBody.success ? errorBody.data.error.details : undefined;
  const detailNumber =
    details && typeof details === 'object' && 'platformNumber' in details ? (details as { platformNumber: unknown }).platformNumber : undefined;
  const platformNumber = typeof detailNumber === 'string' || typeof detailNumber === 'number' ? String(detailNumber) : null;
  const message = platformMessage ? `${platformMessage} (HTTP ${status} ${code})` : `the platform answered HTTP ${status} ${code}`;
  return { ok: false, error: new PlatformError(code, message, kind, { status, retryAfterMs, platformNumber, details }) };
}

function causeCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A fetch that got no answer: refused, reset, name not found, timed out. Always transient. */
export function classifyFetchFailure(error: unknown, timeoutMs: number): PlatformError {
  const name = error && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError') {
    return new PlatformError('PLATFORM_TIMEOUT', `the platform did not answer within ${Math.round(timeoutMs / 100) / 10} s`, 'transient');
  }
  const code = causeCode(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new PlatformError('PLATFORM_UNREACHABLE', `the platform cannot be reached (${reason}): is it running, and is the network up?`, 'transient');
}

export interface PlatformClientOptions {
  /** The platform's base URL, e.g. https://platform.example.gov.cn (a path prefix is kept). */
  baseUrl: string;
  token: string;
  /** Per request, answer included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export const defaultRequestTimeoutMs = 10_000;

/**
 * The central platform's HTTP API as the console uses it. Every method resolves with validated data
 * or rejects with a `PlatformError` (or `SyncStoppedError` when `signal` aborted it): never a raw
 * network or parse error.
 */
export class PlatformClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: PlatformClientOptions) {
    this.baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.timeoutMs = options.timeoutMs ?? defaultRequestTimeoutMs;
    this.fetchImpl = options.fetch ?? nodeHttpFetch;
    this.now = options.now ?? (() => new Date());
  }

  health(signal?: AbortSignal): Promise<PlatformHealth> {
    return this.request('GET', 'v1/health', { authorised: false, signal }, healthSchema);
  }

  /** Delivers a case: `body` is the exact JSON text to send. 201 new, 200 the same content again. */
  putCase(caseId: string, body: string, signal?: AbortSignal): Promise<PutCaseResponse> {
    return this.request('PUT', `v1/cases/${encodeURIComponent(caseId)}`, { authorised: true, body, signal }, putCaseResponseSchema);
  }

  changes(since: string | null, limit: number, signal?: AbortSignal): Promise<ChangesPage> {
    const query = new URLSearchParams();
    if (since !== null) query.set('since', since);
    query.set('limit', String(limit));
    return this.request('GET', `v1/changes?${query.toString()}`, { authorised: true, signal }, changesPageSchema);
  }

  private async request<T>(
    method: 'GET' | 'PUT',
    path: string,
    options: { authorised: boolean; body?: string; signal?: AbortSignal },
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.authorised) headers.authorization = `Bearer ${this.options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    // A timer and a controller of our own rather than AbortSignal.any([AbortSignal.timeout(…), …]):
    // Node 20 holds such a timeout signal only weakly, and once the calling code is optimised a
    // garbage collection can drop it before it fires; a platform that accepted the connection but
    // never answered would then hold the sync forever. The timer here is held until cleared.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${this.timeoutMs} ms.`, 'TimeoutError')), this.timeoutMs);
    const stop = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    let answer: RawAnswer;
    try {
      const response = await this.fetchImpl(url, { method, headers, body: options.body, signal: controller.signal, redirect: 'manual' });
      answer = {
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        location: response.headers.get('location'),
        body: await response.text(),
      };
    } catch (error) {
      if (options.signal?.aborted) throw new SyncStoppedError();
      throw classifyFetchFailure(error, this.timeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
    }
    const classified = classifyAnswer(answer, this.now());
    if (!classified.ok) throw classified.error;
    const parsed = schema.safeParse(classified.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}` : 'unexpected shape';
      throw new PlatformError('PLATFORM_BAD_RESPONSE', `the platform's answer to ${method} /${path.split('?')[0]} is not what its API answers (${where}): is the URL right?`, 'transient', {
        status: answer.status,
      });
    }
    return parsed.data;
  }
}
