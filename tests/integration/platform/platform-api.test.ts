// The central platform's HTTP API, end to end: a real server over a real database, on both backends
// (embedded PGlite and a throwaway PostgreSQL cluster), driven with fetch as a console would.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../src-platform/api/platform-error';
import type { CaseChange } from '../../../src-platform/model';
import { maxBodyBytes, startPlatform, type RunningPlatform, type SubmissionReceipt } from '../../../src-platform/server';
import type { DatabaseLocation } from '../../../src-platform/storage/open-database';
import { revokeStation } from '../../../src-platform/storage/stations';
import { issueStationToken, platformBackends, PlatformTestDatabases } from '../../support/platform-backends';
import { setUpSuite } from '../../support/suite-setup';

interface ChangesPage {
  changes: CaseChange[];
  nextCursor: string;
}

interface Health {
  status: string;
  database: string;
  time: string;
}

interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

interface RequestOptions {
  token?: string;
  json?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
}

const databases = new PlatformTestDatabases();
afterAll(() => databases.dispose());

async function call<T>(platform: RunningPlatform, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${platform.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

let caseSequence = 0;

/** A confirmed work order as a console of `stationCode` submits it. */
function workOrder(stationCode: string, overrides: Record<string, unknown> = {}): Record<string, unknown> & { fields: Record<string, unknown> } {
  caseSequence += 1;
  const now = new Date().toISOString();
  return {
    code: `${stationCode}-20261122-${String(caseSequence).padStart(4, '0')}`,
    stationCode,
    confirmedAt: now,
    submittedAt: now,
    fields: {
      callerPhone: '13800138000',
      contactPhone: '13900139000',
      callerName: '王先生',
      callerGender: 'male',
      anonymous: false,
      address: { district: '朝阳区', street: '望京街道', community: '花家地社区', estate: '花家地小区', building: '3号楼' },
      appealType: '投诉',
      category: ['城乡建设', '物业管理'],
      urgency: '急办',
      department: '朝阳区住房和城乡建设委员会',
      summary: '小区3号楼电梯停运三天，老人上下楼困难，要求尽快修复。',
      duplicateOfCode: null,
      followUp: { wanted: true, method: 'phone' },
      resolvedOnCall: false,
      answer: '',
      citedArticles: [],
      deadline: '2026-11-23T18:00:00+08:00',
    },
    schemaVersion: 1,
    ...overrides,
  };
}

function chinaDate(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A TCP relay between the platform and PostgreSQL that a test can cut and restore, like a failing network. */
async function startCuttableRelay(targetPort: number): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const relay = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const [socket, other] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => other.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      relay.once('error', reject);
      relay.listen(port, '127.0.0.1', () => {
        port = (relay.address() as AddressInfo).port;
        server = relay;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server) server.close(() => resolve());
        else resolve();
        server = null;
      }),
    restore: listen,
  };
}

describe.each(platformBackends)('the platform API on %s', (backend) => {
  let location: DatabaseLocation;
  let platform: RunningPlatform;
  let tokens: { hc01: string; hc02: string; supervisor: string; dispatcher: string; revoked: string };

  const submit = (token: string, caseId: string, body: unknown) => call<SubmissionReceipt & ErrorBody>(platform, 'PUT', `/v1/cases/${caseId}`, { token, json: body });
  const changes = (token: string, query = '') => call<ChangesPage & ErrorBody>(platform, 'GET', `/v1/changes${query}`, { token });
  const setStatus = (token: string, caseId: string, body: unknown) => call<CaseChange & ErrorBody>(platform, 'POST', `/v1/cases/${caseId}/status`, { token, json: body });
  const storedCases = (caseId: string) => platform.database.query<{ body: Record<string, unknown> }>('SELECT body FROM cases WHERE case_id = $1', [caseId]);
  const loggedChanges = async (caseId: string) =>
    (await platform.database.query<{ cursor: string }>('SELECT cursor FROM case_changes WHERE case_id = $1', [caseId])).length;

  setUpSuite(async () => {
    location = await databases.freshLocation(backend);
    platform = await startPlatform({ ...location, host: '127.0.0.1', port: 0 });
    tokens = {
      hc01: await issueStationToken(platform.database, 'HC01'),
      hc02: await issueStationToken(platform.database, 'HC02'),
      supervisor: await issueStationToken(platform.database, 'LEAD', 'supervisor'),
      dispatcher: await issueStationToken(platform.database, 'OPS', 'dispatcher'),
      revoked: await issueStationToken(platform.database, 'HC09'),
    };
    await revokeStation(platform.database, 'HC09', new Date());
  }, 120_000);
  afterAll(() => platform?.close());

  it('answers health without a token, naming its database', async () => {
    const health = await call<Health>(platform, 'GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: backend, time: expect.any(String) });
    expect(Math.abs(Date.parse(health.body.time) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a missing, malformed, unknown or revoked token with 401 and a code to act on', async () => {
    const unknownToken = `hcp_${'A'.repeat(43)}`;
    const attempts: Array<[Record<string, string>, string]> = [
      [{}, 'UNAUTHORIZED'],
      [{ authorization: `Basic ${tokens.hc01}` }, 'UNAUTHORIZED'],
      [{ authorization: 'Bearer not-a-platform-token' }, 'UNAUTHORIZED'],
      [{ authorization: `Bearer ${unknownToken}` }, 'UNAUTHORIZED'],
      [{ authorization: `Bearer ${tokens.revoked}` }, 'TOKEN_REVOKED'],
    ];
    for (const [headers, code] of attempts) {
      const response = await fetch(`${platform.url}/v1/changes`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await response.json()) as ErrorBody).error.code).toBe(code);
    }
    const revokedSubmission = await submit(tokens.revoked, randomUUID(), workOrder('HC09'));
    expect(revokedSubmission.status).toBe(401);
    expect(revokedSubmission.body.error.code).toBe('TOKEN_REVOKED');
  });

  it('receives a case: 201, a platform number of the day in China, and a "received" change', async () => {
    const caseId = randomUUID();
    const before = Date.now();
    const receipt = await submit(tokens.hc01, caseId, workOrder('HC01'));
    expect(receipt.status).toBe(201);
    expect(receipt.body).toEqual({
      caseId,
      platformNumber: expect.stringMatching(/^P\d{8}-\d{7}$/),
      receivedAt: expect.any(String),
      status: 'received',
      duplicate: false,
      ignoredFields: [],
      clockSkewSeconds: expect.any(Number),
    });
    expect(Date.parse(receipt.body.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(receipt.body.platformNumber.slice(1, 9)).toBe(chinaDate(receipt.body.receivedAt));
    expect(Math.abs(receipt.body.clockSkewSeconds)).toBeLessThanOrEqual(5);

    const own = await changes(tokens.hc01);
    expect(own.body.changes.filter((change) => change.caseId === caseId)).toEqual([
      {
        cursor: expect.stringMatching(/^\d+$/),
        caseId,
        platformNumber: receipt.body.platformNumber,
        stationCode: 'HC01',
        status: 'received',
        department: null,
        reply: null,
        followUpVerdict: null,
        changedAt: receipt.body.receivedAt,
      },
    ]);
  });

  it('answers an identical resubmission, sent later, with 200 and the same platform number', async () => {
    const caseId = randomUUID();
    const body = workOrder('HC01');
    const first = await submit(tokens.hc01, caseId, body);
    const retry = await submit(tokens.hc01, caseId, { ...body, submittedAt: new Date(Date.now() + 30_000).toISOString() });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ caseId, platformNumber: first.body.platformNumber, receivedAt: first.body.receivedAt, duplicate: true });
    expect(await loggedChanges(caseId)).toBe(1);
  });

  it('refuses different content under the same case id with 409 and keeps the case as first received', async () => {
    const caseId = randomUUID();
    const original = workOrder('HC01');
    const first = await submit(tokens.hc01, caseId, original);
    const changed = await submit(tokens.hc01, caseId, { ...original, fields: { ...original.fields, summary: '电梯已经修好了' } });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'CONFLICT', details: { platformNumber: first.body.platformNumber } });
    expect(changed.body.error.message).toContain('different content');
    const [stored] = await storedCases(caseId);
    expect(stored?.body).toEqual(original);
    expect(await loggedChanges(caseId)).toBe(1);
  });

  it('stores one case with one number when 50 identical submissions arrive at once', async () => {
    const caseId = randomUUID();
    const body = workOrder('HC01');
    const answers = await Promise.all(Array.from({ length: 50 }, () => submit(tokens.hc01, caseId, body)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(49);
    expect(new Set(answers.map((answer) => answer.body.platformNumber)).size).toBe(1);
    expect(await storedCases(caseId)).toHaveLength(1);
    expect(await loggedChanges(caseId)).toBe(1);
  });

  it('gives 50 different cases submitted at once 50 distinct platform numbers', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => submit(index % 2 ? tokens.hc01 : tokens.hc02, randomUUID(), workOrder(index % 2 ? 'HC01' : 'HC02'))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((answer) => answer.body.platformNumber)).size).toBe(50);
  });

  it("refuses to take another station's case (403), and a case code the station already used (409)", async () => {
    const foreignCaseId = randomUUID();
    const foreign = await submit(tokens.hc01, foreignCaseId, workOrder('HC02'));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('FORBIDDEN');
    expect(await storedCases(foreignCaseId)).toHaveLength(0);

    const body = workOrder('HC01');
    const first = await submit(tokens.hc01, randomUUID(), body);
    const reusedCode = await submit(tokens.hc01, randomUUID(), body);
    expect(reusedCode.status).toBe(409);
    expect(reusedCode.body.error).toMatchObject({ code: 'CONFLICT', details: { caseId: first.body.caseId, platformNumber: first.body.platformNumber } });

    const takenId = await submit(tokens.hc02, first.body.caseId, workOrder('HC02'));
    expect(takenId.status).toBe(409);
    expect(takenId.body.error.details).toBeUndefined();
  });

  it("shows a station only its own cases' changes, and a supervisor every station's", async () => {
    const ownCase = randomUUID();
    const otherCase = randomUUID();
    await submit(tokens.hc01, ownCase, workOrder('HC01'));
    await submit(tokens.hc02, otherCase, workOrder('HC02'));
    const seenByStation = (await changes(tokens.hc01, '?limit=500')).body.changes;
    expect(new Set(seenByStation.map((change) => change.stationCode))).toEqual(new Set(['HC01']));
    expect(seenByStation.map((change) => change.caseId)).toContain(ownCase);
    expect(seenByStation.map((change) => change.caseId)).not.toContain(otherCase);
    const seenBySupervisor = (await changes(tokens.supervisor, '?limit=500')).body.changes.map((change) => change.caseId);
    expect(seenBySupervisor).toEqual(expect.arrayContaining([ownCase, otherCase]));
  });

  it('lets a dispatcher move a case along; each step reaches the station with department, reply and verdict', async () => {
    const caseId = randomUUID();
    await submit(tokens.hc01, caseId, workOrder('HC01'));
    const since = (await changes(tokens.hc01, '?limit=500')).body.nextCursor;
    const dispatched = await setStatus(tokens.dispatcher, caseId, { status: 'dispatched', department: '望京街道办事处' });
    const handled = await setStatus(tokens.dispatcher, caseId, { status: 'handled', reply: '已联系物业，电梯于次日恢复运行。' });
    const closed = await setStatus(tokens.dispatcher, caseId, { status: 'closed', followUpVerdict: 'satisfied' });
    expect([dispatched.status, handled.status, closed.status]).toEqual([200, 200, 200]);
    expect(closed.body).toMatchObject({
      caseId,
      stationCode: 'HC01',
      status: 'closed',
      department: '望京街道办事处',
      reply: '已联系物业，电梯于次日恢复运行。',
      followUpVerdict: 'satisfied',
    });

    const pulled = (await changes(tokens.hc01, `?since=${since}`)).body.changes;
    expect(pulled).toEqual([dispatched.body, handled.body, closed.body]);
    expect(pulled.map((change) => [change.status, change.department, change.reply, change.followUpVerdict])).toEqual([
      ['dispatched', '望京街道办事处', null, null],
      ['handled', '望京街道办事处', '已联系物业，电梯于次日恢复运行。', null],
      ['closed', '望京街道办事处', '已联系物业，电梯于次日恢复运行。', 'satisfied'],
    ]);

    const repeated = await setStatus(tokens.dispatcher, caseId, { status: 'closed', followUpVerdict: 'satisfied' });
    expect(repeated.body).toEqual(closed.body);
    expect(await loggedChanges(caseId)).toBe(4);
  });

  it('refuses status changes from other roles, for unknown cases, backwards, or with a verdict before handling', async () => {
    const caseId = randomUUID();
    await submit(tokens.hc01, caseId, workOrder('HC01'));
    for (const token of [tokens.hc01, tokens.supervisor]) {
      const refused = await setStatus(token, caseId, { status: 'dispatched' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const unknown = await setStatus(tokens.dispatcher, randomUUID(), { status: 'dispatched' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);

    const tooEarly = await setStatus(tokens.dispatcher, caseId, { status: 'dispatched', followUpVerdict: 'unsatisfied' });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.fieldIssues).toEqual([expect.objectContaining({ field: 'followUpVerdict', issue: 'not_allowed' })]);

    const malformed = await setStatus(tokens.dispatcher, caseId, { status: 'finished', departmnet: '望京街道办事处' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fieldIssues).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'status', issue: 'invalid_format' }), expect.objectContaining({ field: 'departmnet', issue: 'not_allowed' })]),
    );

    await setStatus(tokens.dispatcher, caseId, { status: 'handled' });
    const backwards = await setStatus(tokens.dispatcher, caseId, { status: 'dispatched' });
    expect(backwards.status).toBe(409);
    expect(backwards.body.error).toMatchObject({ code: 'CONFLICT', details: { status: 'handled' } });
    expect(await loggedChanges(caseId)).toBe(2);
  });

  it('pages through the change log in order, with no gap and no repeat', async () => {
    const everything = await changes(tokens.supervisor, '?limit=500');
    const allCursors = everything.body.changes.map((change) => change.cursor);
    expect(allCursors.length).toBeGreaterThan(50);
    expect(allCursors.length).toBeLessThan(500);

    const paged: string[] = [];
    let since = '0';
    for (;;) {
      const page = await changes(tokens.supervisor, `?since=${since}&limit=7`);
      expect(page.status).toBe(200);
      if (page.body.changes.length === 0) {
        expect(page.body.nextCursor).toBe(since);
        break;
      }
      paged.push(...page.body.changes.map((change) => change.cursor));
      since = page.body.nextCursor;
    }
    expect(paged).toEqual(allCursors);
    expect(paged.every((cursor, index) => index === 0 || BigInt(cursor) > BigInt(paged[index - 1] as string))).toBe(true);
    expect((await changes(tokens.supervisor)).body.changes).toHaveLength(Math.min(100, allCursors.length));

    const invalid = await changes(tokens.supervisor, '?since=abc&limit=501');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fieldIssues?.map((issue) => issue.field)).toEqual(['since', 'limit']);
  });

  it('lets a console that polls while 40 cases arrive at once see each of them exactly once', async () => {
    const pullAll = async (since: string): Promise<{ caseIds: string[]; nextCursor: string }> => {
      const caseIds: string[] = [];
      for (;;) {
        const page = (await changes(tokens.supervisor, `?since=${since}&limit=5`)).body;
        if (page.changes.length === 0) return { caseIds, nextCursor: since };
        caseIds.push(...page.changes.map((change) => change.caseId));
        since = page.nextCursor;
      }
    };
    let { nextCursor: since } = await pullAll('0');
    const seen: string[] = [];
    let submitting = true;
    const poller = (async () => {
      while (submitting) {
        const pulled = await pullAll(since);
        seen.push(...pulled.caseIds);
        since = pulled.nextCursor;
      }
    })();
    const submitted = await Promise.all(Array.from({ length: 40 }, async () => {
      const caseId = randomUUID();
      await submit(tokens.hc01, caseId, workOrder('HC01'));
      return caseId;
    }));
    submitting = false;
    await poller;
    seen.push(...(await pullAll(since)).caseIds);
    expect([...seen].sort()).toEqual([...submitted].sort());
  });

  it('reports malformed JSON, schema violations field by field, oversized and non-JSON bodies, and stores none of them', async () => {
    const caseIds = Array.from({ length: 5 }, () => randomUUID());
    const put = (caseId: string, options: RequestOptions) => call<ErrorBody>(platform, 'PUT', `/v1/cases/${caseId}`, { token: tokens.hc01, ...options });

    const malformed = await put(caseIds[0] as string, { rawBody: '{"code": "HC01-20261122-9999", ' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'BAD_REQUEST']);

    const broken = workOrder('HC01', { code: 'X'.repeat(61), confirmedAt: 'yesterday', schemaVersion: '1' });
    broken.fields = { ...broken.fields, summary: undefined, category: '物业管理' };
    const invalid = await put(caseIds[1] as string, { json: broken });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('BAD_REQUEST');
    expect(invalid.body.error.fieldIssues?.map(({ field, issue }) => ({ field, issue }))).toEqual(
      expect.arrayContaining([
        { field: 'code', issue: 'too_long' },
        { field: 'confirmedAt', issue: 'invalid_format' },
        { field: 'schemaVersion', issue: 'wrong_type' },
        { field: 'fields.summary', issue: 'missing' },
        { field: 'fields.category', issue: 'wrong_type' },
      ]),
    );
    expect(invalid.body.error.fieldIssues).toHaveLength(5);

    const notAnObject = await put(caseIds[2] as string, { json: ['HC01'] });
    expect(notAnObject.body.error.fieldIssues).toEqual([expect.objectContaining({ field: '(body)', issue: 'wrong_type' })]);

    const badId = await put('not-a-uuid', { json: workOrder('HC01') });
    expect(badId.status).toBe(400);
    expect(badId.body.error.fieldIssues).toEqual([expect.objectContaining({ field: 'caseId', issue: 'invalid_format' })]);

    const oversized = workOrder('HC01');
    oversized.fields = { ...oversized.fields, summary: '长'.repeat(maxBodyBytes / 3 + 1) };
    const tooLarge = await put(caseIds[3] as string, { json: oversized });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const html = await put(caseIds[4] as string, { rawBody: '<p>工单</p>', contentType: 'text/html' });
    expect([html.status, html.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const plain = await put(caseIds[4] as string, { rawBody: JSON.stringify(workOrder('HC01')), contentType: 'text/plain' });
    expect([plain.status, plain.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);

    for (const caseId of caseIds) expect(await storedCases(caseId)).toHaveLength(0);
    const stillWorking = await submit(tokens.hc01, caseIds[0] as string, workOrder('HC01'));
    expect(stillWorking.status).toBe(201);
  });

  it('accepts and stores fields from a newer console, listing the unknown top-level ones', async () => {
    const caseId = randomUUID();
    const body = workOrder('HC01', { schemaVersion: 2, channel: 'wechat', attachments: [{ name: '照片.jpg' }] });
    body.fields = { ...body.fields, emotion: 'angry' };
    const receipt = await submit(tokens.hc01, caseId, body);
    expect(receipt.status).toBe(201);
    expect(receipt.body.ignoredFields).toEqual(['channel', 'attachments']);
    expect(receipt.body.warnings).toEqual(['newer-schema-version']);
    const [stored] = await storedCases(caseId);
    expect(stored?.body).toEqual(body);
  });

  it('reports a console clock that is hours off, and still stamps the time with its own', async () => {
    for (const offsetHours of [3, -5]) {
      const submittedAt = new Date(Date.now() + offsetHours * 3_600_000).toISOString();
      const receipt = await submit(tokens.hc01, randomUUID(), workOrder('HC01', { submittedAt }));
      expect(receipt.status).toBe(201);
      expect(Math.abs(receipt.body.clockSkewSeconds - offsetHours * 3600)).toBeLessThanOrEqual(5);
      expect(receipt.body.warnings).toEqual(['clock-skew']);
      expect(Math.abs(Date.parse(receipt.body.receivedAt) - Date.now())).toBeLessThan(60_000);
    }
  });

  it("limits each token's request rate with 429 and Retry-After", async () => {
    const limited = await startPlatform({ ...(await databases.freshLocation(backend)), host: '127.0.0.1', port: 0, rateLimit: { requestsPerSecond: 0.5, burst: 3 } });
    try {
      const busyToken = await issueStationToken(limited.database, 'HC01');
      const quietToken = await issueStationToken(limited.database, 'HC02');
      const statuses: number[] = [];
      for (let request = 0; request < 4; request += 1) statuses.push((await call(limited, 'GET', '/v1/changes', { token: busyToken })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await call<ErrorBody>(limited, 'GET', '/v1/changes', { token: busyToken });
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await call(limited, 'GET', '/v1/changes', { token: quietToken })).status).toBe(200);
      expect((await call(limited, 'GET', '/v1/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('keeps every case, number and change across a restart on the same database', async () => {
    const caseId = randomUUID();
    const body = workOrder('HC01');
    const first = await submit(tokens.hc01, caseId, body);
    const before = (await changes(tokens.supervisor, '?limit=500')).body;

    await platform.close();
    platform = await startPlatform({ ...location, host: '127.0.0.1', port: 0 });

    expect((await call<Health>(platform, 'GET', '/v1/health')).body.status).toBe('ok');
    expect((await changes(tokens.supervisor, '?limit=500')).body).toEqual(before);
    const retry = await submit(tokens.hc01, caseId, body);
    expect(retry.status).toBe(200);
    expect(retry.body.platformNumber).toBe(first.body.platformNumber);
    const fresh = await submit(tokens.hc01, randomUUID(), workOrder('HC01'));
    expect(fresh.status).toBe(201);
    const allNumbers = (await platform.database.query<{ platform_number: string }>('SELECT platform_number FROM cases')).map((row) => row.platform_number);
    expect(allNumbers.filter((number) => number === fresh.body.platformNumber)).toHaveLength(1);
  }, 60_000);
});

describe('the platform when PostgreSQL stops answering', () => {
  let platform: RunningPlatform;
  let relay: Awaited<ReturnType<typeof startCuttableRelay>>;
  let token: string;

  setUpSuite(async () => {
    const { databaseUrl } = await databases.freshLocation('postgres');
    const direct = new URL(databaseUrl as string);
    relay = await startCuttableRelay(Number(direct.port));
    direct.port = String(relay.port);
    platform = await startPlatform({ databaseUrl: direct.toString(), host: '127.0.0.1', port: 0 });
    token = await issueStationToken(platform.database, 'HC01');
  }, 120_000);
  afterAll(async () => {
    await relay?.restore().catch(() => undefined);
    await platform?.close();
  });

  it('answers 503 with Retry-After while the database is unreachable, stores nothing, and recovers', async () => {
    await relay.cut();
    const health = await call<Health>(platform, 'GET', '/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unavailable');
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const caseId = randomUUID();
    const body = workOrder('HC01');
    const during = await call<ErrorBody>(platform, 'PUT', `/v1/cases/${caseId}`, { token, json: body });
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('UNAVAILABLE');
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await relay.restore();
    expect((await call<Health>(platform, 'GET', '/v1/health')).status).toBe(200);
    const after = await call<SubmissionReceipt>(platform, 'PUT', `/v1/cases/${caseId}`, { token, json: body });
    expect(after.status).toBe(201);
  });
});
