import { describe, expect, it } from 'vitest';
import {
  classifyAnswer,
  classifyFetchFailure,
  notJsonMessage,
  PlatformClient,
  PlatformError,
  SyncStoppedError,
  type RawAnswer,
} from '../../../../src-main/core/sync/platform-client';

const now = new Date('2026-11-22T01:30:00Z');

function answer(status: number, body: string, headers: Partial<Omit<RawAnswer, 'status' | 'body'>> = {}): RawAnswer {
  return { status, body, contentType: 'application/json; charset=utf-8', retryAfter: null, location: null, ...headers };
}

function failureOf(raw: RawAnswer): PlatformError {
  const classified = classifyAnswer(raw, now);
  if (classified.ok) throw new Error('expected a failure');
  return classified.error;
}

const platformError = (code: string, message = 'platform says no', details?: unknown) => JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } });

describe('classifying the platform answers', () => {
  it('passes JSON successes through', () => {
    expect(classifyAnswer(answer(201, '{"platformNumber":"P-1"}'), now)).toEqual({ ok: true, json: { platformNumber: 'P-1' } });
    expect(classifyAnswer(answer(200, '[]'), now)).toEqual({ ok: true, json: [] });
  });

  it('turns an HTML page into the clear message, whatever its status, and retries it', () => {
    const page = '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>…</body></html>';
    for (const status of [200, 404, 502]) {
      const error = failureOf(answer(status, page, { contentType: 'text/html' }));
      expect(error.code).toBe('PLATFORM_NOT_JSON');
      expect(error.message).toContain(notJsonMessage);
      expect(error.kind).toBe('transient');
    }
    expect(failureOf(answer(502, page, { contentType: 'text/html' })).message).toContain('HTTP 502');
    // A page sent without (or with a wrong) content type is still recognised by its first character.
    expect(failureOf(answer(200, '\n  <html>hi</html>', { contentType: null })).message).toContain(notJsonMessage);
    expect(failureOf(answer(200, '<html>hi</html>', { contentType: 'application/json' })).code).toBe('PLATFORM_NOT_JSON');
  });

  it('names broken or non-JSON text, quoting its start, instead of throwing', () => {
    const broken = failureOf(answer(200, '{"platformNumber": "P-1"', { contentType: 'application/json' }));
    expect(broken.code).toBe('PLATFORM_NOT_JSON');
    expect(broken.message).toContain('is the URL right?');
    const text = failureOf(answer(200, 'OK', { contentType: 'text/plain' }));
    expect(text.message).toContain('text/plain');
    expect(text.message).toContain('"OK"');
    const long = failureOf(answer(200, `x${'y'.repeat(5_000)}`, { contentType: 'text/plain' }));
    expect(long.message.length).toBeLessThan(400);
    expect(failureOf(answer(200, '')).code).toBe('PLATFORM_BAD_RESPONSE');
  });

  it('fails a case for good on 400, 409, 413 and 415, keeping the platform number of a conflict', () => {
    expect(failureOf(answer(400, platformError('BAD_REQUEST', 'fields.summary is required.')))).toMatchObject({
      code: 'BAD_REQUEST',
      kind: 'rejected',
      message: 'fields.summary is required. (HTTP 400 BAD_REQUEST)',
    });
    const conflict = failureOf(answer(409, platformError('CONFLICT', 'different content', { platformNumber: 'P20261122-000042' })));
    expect(conflict).toMatchObject({ code: 'CONFLICT', kind: 'rejected', platformNumber: 'P20261122-000042' });
    expect(failureOf(answer(413, platformError('PAYLOAD_TOO_LARGE'))).kind).toBe('rejected');
    expect(failureOf(answer(415, platformError('UNSUPPORTED_MEDIA_TYPE'))).kind).toBe('rejected');
    // Other 4xx statuses without a body the platform would send are refusals too.
    expect(failureOf(answer(422, '{"detail":"no"}'))).toMatchObject({ code: 'PLATFORM_HTTP_ERROR', kind: 'rejected' });
  });

  it('stops on answers that refuse the settings: a wrong or revoked token, another station, an unknown path, a redirect', () => {
    expect(failureOf(answer(401, platformError('UNAUTHORIZED')))).toMatchObject({ code: 'UNAUTHORIZED', kind: 'settings' });
    expect(failureOf(answer(401, platformError('TOKEN_REVOKED')))).toMatchObject({ code: 'TOKEN_REVOKED', kind: 'settings' });
    expect(failureOf(answer(403, platformError('FORBIDDEN')))).toMatchObject({ code: 'FORBIDDEN', kind: 'settings' });
    expect(failureOf(answer(404, platformError('NOT_FOUND')))).toMatchObject({ code: 'NOT_FOUND', kind: 'settings' });
    expect(failureOf(answer(401, ''))).toMatchObject({ code: 'UNAUTHORIZED', kind: 'settings' });
    const moved = failureOf(answer(301, '', { location: 'https://platform.example/v1/health' }));
    expect(moved).toMatchObject({ code: 'PLATFORM_REDIRECTED', kind: 'settings' });
    expect(moved.message).toContain('https://platform.example/v1/health');
  });

  it('retries 5xx and 429, with the Retry-After the platform asked for', () => {
    const limited = failureOf(answer(429, platformError('RATE_LIMITED'), { retryAfter: '7' }));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', kind: 'transient', retryAfterMs: 7_000 });
    expect(failureOf(answer(503, platformError('UNAVAILABLE'), { retryAfter: '5' }))).toMatchObject({ code: 'UNAVAILABLE', kind: 'transient', retryAfterMs: 5_000 });
    expect(failureOf(answer(500, platformError('INTERNAL')))).toMatchObject({ code: 'INTERNAL', kind: 'transient', retryAfterMs: null });
    // A gateway's empty 502 or 504 is retried as well; the status decides, whatever the body's code says.
    expect(failureOf(answer(502, ''))).toMatchObject({ code: 'PLATFORM_HTTP_ERROR', kind: 'transient' });
    expect(failureOf(answer(504, platformError('BAD_REQUEST')))).toMatchObject({ kind: 'transient' });
    // A code the console does not know is not trusted as a code.
    expect(failureOf(answer(500, platformError('DISK_ON_FIRE')))).toMatchObject({ code: 'INTERNAL' });
  });

  it('treats a failed connection or a timeout as transient, naming the cause', () => {
    const refused = classifyFetchFailure(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), 10_000);
    expect(refused).toMatchObject({ code: 'PLATFORM_UNREACHABLE', kind: 'transient' });
    expect(refused.message).toContain('ECONNREFUSED');
    const aggregate = classifyFetchFailure(Object.assign(new TypeError('fetch failed'), { cause: { errors: [{ code: 'ECONNRESET' }] } }), 10_000);
    expect(aggregate.message).toContain('ECONNRESET');
    const timeout = classifyFetchFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 2_500);
    expect(timeout).toMatchObject({ code: 'PLATFORM_TIMEOUT', kind: 'transient' });
    expect(timeout.message).toContain('2.5 s');
  });
});

describe('the platform client', () => {
  function client(handler: (url: URL, init: RequestInit) => Response | Promise<Response>, timeoutMs = 1_000) {
    const seen: { url: URL; init: RequestInit }[] = [];
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      seen.push({ url, init: init ?? {} });
      return handler(url, init ?? {});
    }) as typeof fetch;
    return { seen, platform: new PlatformClient({ baseUrl: 'https://platform.example/hotline/', token: 'hcp_secret', timeoutMs, fetch: fetchStub, now: () => now }) };
  }

  it('sends the exact body with the token, under the base URL path, and validates the answer', async () => {
    const { seen, platform } = client(
      () =>
        new Response(JSON.stringify({ caseId: 'c', platformNumber: 'P-7', receivedAt: now.toISOString(), status: 'received', duplicate: false, ignoredFields: [], clockSkewSeconds: -3 }), {
          status: 201,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const body = '{"code":"TS01-20261122-0001","submittedAt":"2026-11-22T01:30:00.000Z"}';
    const answered = await platform.putCase('0b7e3c1a-5f1d-4c55-9d7e-2f8a4c1b9e10', body);
    expect(answered).toMatchObject({ platformNumber: 'P-7', duplicate: false, clockSkewSeconds: -3 });
    expect(seen[0]?.url.href).toBe('https://platform.example/hotline/v1/cases/0b7e3c1a-5f1d-4c55-9d7e-2f8a4c1b9e10');
    expect(seen[0]?.init.method).toBe('PUT');
    expect(seen[0]?.init.body).toBe(body);
    expect((seen[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer hcp_secret');
    expect(seen[0]?.init.redirect).toBe('manual');
  });

  it('does not send the token to the health check, and asks the change feed from a cursor', async () => {
    const { seen, platform } = client((url) =>
      url.pathname.endsWith('/health')
        ? Response.json({ status: 'ok', database: 'pglite', time: now.toISOString() })
        : Response.json({ changes: [], nextCursor: '12' }),
    );
    expect(await platform.health()).toEqual({ status: 'ok', database: 'pglite', time: now.toISOString() });
    expect((seen[0]?.init.headers as Record<string, string>).authorization).toBeUndefined();
    expect(await platform.changes('12', 100)).toEqual({ changes: [], nextCursor: '12' });
    expect(seen[1]?.url.search).toBe('?since=12&limit=100');
    await platform.changes(null, 1);
    expect(seen[2]?.url.search).toBe('?limit=1');
  });

  it('rejects JSON that is not the API, and an HTML page, with PlatformError; never a raw error', async () => {
    const { platform } = client(() => Response.json({ hello: 'world' }));
    await expect(platform.putCase('0b7e3c1a-5f1d-4c55-9d7e-2f8a4c1b9e10', '{}')).rejects.toMatchObject({ code: 'PLATFORM_BAD_RESPONSE', kind: 'transient' });
    const html = client(() => new Response('<html><body>Router login</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    await expect(html.platform.changes(null, 1)).rejects.toMatchObject({ code: 'PLATFORM_NOT_JSON', message: notJsonMessage });
    const failing = client(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    });
    await expect(failing.platform.health()).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' });
  });

  it('times out a platform that never answers, and tells a stop from a timeout', async () => {
    const never = (_url: URL, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = client(never, 50);
    await expect(slow.platform.health()).rejects.toMatchObject({ code: 'PLATFORM_TIMEOUT' });
    const stopping = client(never, 60_000);
    const controller = new AbortController();
    const pending = stopping.platform.health(controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(SyncStoppedError);
  });
});
