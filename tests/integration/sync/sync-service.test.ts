import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Case, CaseSyncChange, SyncStatus } from '../../../src-main/contract';
import { CaseService, type OutboxSink } from '../../../src-main/core/cases/case-service';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { EventBus } from '../../../src-main/core/events/event-bus';
import { notJsonMessage } from '../../../src-main/core/sync/platform-client';
import type { SyncOptions } from '../../../src-main/core/sync/sync-service';
import { SyncStore } from '../../../src-main/core/sync/sync-store';
import { call, completeCaseFields, makeTempDir, ManualClock, openTestConsole, removeTempDir } from '../../support/temp-console';
import { TestPlatform } from '../../support/test-platform';

let platform: TestPlatform;
let dataDir: string;
let app: ConsoleApp | null = null;

beforeAll(async () => {
  platform = await TestPlatform.start();
}, 90_000);
afterAll(async () => {
  await platform?.close();
});
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await app?.close();
  app = null;
  await platform.restart({ rateLimit: undefined });
  await removeTempDir(dataDir);
});

/** Every request the console makes, with the answer's status; wraps the real fetch. */
class RecordingFetch {
  readonly requests: { method: string; path: string; status: number | null; retryAfter: string | null }[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const record = { method: init?.method ?? 'GET', path: url.pathname, status: null as number | null, retryAfter: null as string | null };
    this.requests.push(record);
    const response = await fetch(input, init);
    record.status = response.status;
    record.retryAfter = response.headers.get('retry-after');
    return response;
  };

  puts(): { path: string; status: number | null; retryAfter: string | null }[] {
    return this.requests.filter((request) => request.method === 'PUT');
  }
}

/** Sync events as they come, and a wait for one (already seen or still to come): tests wait on events, never on time. */
class SyncEvents {
  readonly caseChanges: CaseSyncChange[] = [];
  readonly statuses: SyncStatus[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(target: ConsoleApp) {
    target.subscribe((envelope) => {
      if (envelope.event === 'onCaseSyncChanged') this.caseChanges.push(envelope.payload as CaseSyncChange);
      else if (envelope.event === 'onSyncStatusChanged') this.statuses.push(envelope.payload as SyncStatus);
      else return;
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.check()) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  caseChange(predicate: (change: CaseSyncChange) => boolean): Promise<CaseSyncChange> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.caseChanges.find(predicate);
        if (found) resolve(found);
        return found !== undefined;
      };
      if (!check()) this.waiters.push({ check, resolve: () => undefined });
    });
  }
}

async function openConsole(stationCode: string, options: { clock?: ManualClock; sync?: Partial<SyncOptions> } = {}): Promise<ConsoleApp> {
  app = await openTestConsole(dataDir, { stationCode, clock: options.clock, sync: { autoStart: false, random: () => 0.999, ...options.sync } });
  return app;
}

let confirmedCount = 0;
async function confirmCase(target: ConsoleApp, summary = `小区电梯停运第${++confirmedCount}天，老人上下楼困难，要求尽快维修。`): Promise<Case> {
  return call(target, 'cases.confirm', { caseId: null, callId: null, fields: { ...completeCaseFields, summary } });
}

async function outboxRows(target: ConsoleApp): Promise<{ case_id: string; state: string; attempts: number }[]> {
  return target.services().database.all('SELECT case_id, state, attempts FROM outbox ORDER BY rowid');
}

describe('the outbox', () => {
  it('queues a case in the transaction that confirms it, and nothing that is not confirmed', async () => {
    const clock = new ManualClock(new Date());
    const target = await openConsole('SY01', { clock });
    const draft = await call(target, 'cases.saveDraft', { caseId: null, callId: null, fields: { summary: '草稿：还没问完' } });
    expect(await outboxRows(target)).toEqual([]);
    expect(await call(target, 'sync.caseState', { caseId: draft.id })).toMatchObject({ state: 'not-confirmed', attempts: 0, platformNumber: null, platformStatus: null });
    // A refused confirmation (the form is incomplete) queues nothing.
    const refused = await target.invoke('cases.confirm', { caseId: draft.id, fields: { summary: '只有摘要' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await outboxRows(target)).toEqual([]);

    const confirmed = await call(target, 'cases.confirm', { caseId: draft.id, fields: completeCaseFields });
    expect(await outboxRows(target)).toEqual([{ case_id: confirmed.id, state: 'waiting', attempts: 0 }]);
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toEqual({
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: clock.now().toISOString(),
      error: null,
      platformNumber: null,
      platformStatus: null,
    });
    // The stored body is the one the platform will get, built from the confirmed case.
    const stored = await target.services().database.get<{ payload: string }>('SELECT payload FROM outbox WHERE case_id = ?', [confirmed.id]);
    expect(JSON.parse(stored?.payload ?? '{}')).toMatchObject({
      code: confirmed.code,
      stationCode: 'SY01',
      confirmedAt: confirmed.confirmedAt,
      fields: { summary: completeCaseFields.summary, deadline: confirmed.deadline },
      schemaVersion: 1,
    });
    expect(await call(target, 'sync.getStatus', {})).toMatchObject({ configured: false, state: 'not-configured', queueLength: 1, failedCount: 0, tokenHint: null });
    const unknown = await target.invoke('sync.caseState', { caseId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('leaves neither the confirmation nor its outbox entry when the confirming transaction fails', async () => {
    const clock = new ManualClock(new Date());
    const target = await openConsole('SY01', { clock });
    const services = target.services();
    const store = new SyncStore(services.database, clock);
    const station = { stationCode: 'SY01', operatorName: 'test-operator' };
    const draft = await call(target, 'cases.saveDraft', { caseId: null, callId: null, fields: completeCaseFields });

    // The outbox entry is written, then something later in the same transaction fails.
    const crashingAfterOutbox: OutboxSink = {
      enqueue: async (executor, confirmed) => {
        await store.enqueue(executor, confirmed);
        throw new Error('the disk went away after the outbox write');
      },
    };
    const crashing = new CaseService(services.database, new EventBus(), services.calls, services.reference, station, clock, services.index, undefined, crashingAfterOutbox);
    await expect(crashing.confirm({ caseId: draft.id, callId: null, fields: draft })).rejects.toThrow(/disk went away/);
    // The past-case index fails before the outbox is reached.
    const failingIndex = { upsertPastCase: async () => Promise.reject(new Error('index unavailable')) };
    const unindexed = new CaseService(services.database, new EventBus(), services.calls, services.reference, station, clock, failingIndex, undefined, store);
    await expect(unindexed.confirm({ caseId: draft.id, callId: null, fields: draft })).rejects.toThrow(/index unavailable/);

    expect(await outboxRows(target)).toEqual([]);
    expect((await call(target, 'cases.get', { caseId: draft.id })).case.state).toBe('draft');
    expect(await call(target, 'sync.caseState', { caseId: draft.id })).toMatchObject({ state: 'not-confirmed' });
  });

  it('queues, at start, confirmed cases that predate the outbox', async () => {
    const target = await openConsole('SY01');
    const confirmed = await confirmCase(target);
    await target.services().database.transaction((executor) => executor.run('DELETE FROM outbox'));
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'not-confirmed' });
    const store = new SyncStore(target.services().database, new ManualClock(new Date()));
    expect(await store.enqueueMissing()).toBe(1);
    expect(await store.enqueueMissing()).toBe(0);
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'waiting' });
  });
});

describe('delivering to the central platform', () => {
  it('keeps a case waiting while the platform is down, backing off further each time, and delivers it exactly once when it is back', async () => {
    const token = await platform.addStation('SY02');
    const clock = new ManualClock(new Date());
    const recording = new RecordingFetch();
    const target = await openConsole('SY02', { clock, sync: { fetch: recording.fetch } });
    const sync = target.services().sync;
    const configured = await call(target, 'sync.configure', { platformUrl: `${platform.url}/`, token });
    expect(configured.check).toMatchObject({ ok: true, reachable: true, authorised: true, database: 'pglite', error: null });
    expect(configured.status).toMatchObject({ configured: true, platformUrl: platform.url, tokenHint: token.slice(-4), state: 'idle' });
    expect(JSON.stringify(configured)).not.toContain(token);

    await platform.stop();
    let confirmed: Case;
    const gaps: number[] = [];
    try {
      confirmed = await confirmCase(target);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const status = await sync.syncNow();
        expect(status).toMatchObject({ state: 'offline', queueLength: 1, failedCount: 0, lastError: { code: 'PLATFORM_UNREACHABLE' } });
        const state = await call(target, 'sync.caseState', { caseId: confirmed.id });
        expect(state).toMatchObject({ state: 'waiting', attempts: attempt, error: { code: 'PLATFORM_UNREACHABLE' }, platformNumber: null });
        expect(state.error?.message).toMatch(/cannot be reached \(ECONNREFUSED\)/);
        gaps.push(Date.parse(state.nextAttemptAt ?? '') - clock.now().getTime());
        // Nothing is tried again before its time, however often the loop looks.
        await sync.syncNow();
        expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ attempts: attempt });
        clock.advance(10 * 60_000);
      }
    } finally {
      await platform.restart();
    }
    // Full jitter pinned at its top (random 0.999): 1 s, 2 s, 4 s.
    expect(gaps).toEqual([999, 1_998, 3_996]);
    expect(recording.puts()).toHaveLength(3);

    const status = await sync.syncNow();
    expect(status).toMatchObject({ state: 'idle', queueLength: 0, failedCount: 0, lastError: null });
    expect(status.lastContactAt).toBe(clock.now().toISOString());
    const sent = await call(target, 'sync.caseState', { caseId: confirmed.id });
    expect(sent).toMatchObject({ state: 'sent', attempts: 4, nextAttemptAt: null, error: null, platformStatus: { status: 'received' } });
    expect(sent.platformNumber).toMatch(/^P\d{8}-\d{7}$/);
    expect(await platform.cases('SY02')).toEqual([{ case_id: confirmed.id, platform_number: sent.platformNumber, code: confirmed.code, status: 'received' }]);

    // Sent once: later passes send nothing more.
    await sync.syncNow();
    await sync.syncNow();
    expect(recording.puts()).toHaveLength(4);
    expect(recording.puts().at(-1)?.status).toBe(201);
  });

  it('marks a case failed when the platform refuses the token, and sends it once the token is fixed', async () => {
    const token = await platform.addStation('SY03');
    const recording = new RecordingFetch();
    const target = await openConsole('SY03', { sync: { fetch: recording.fetch } });
    const sync = target.services().sync;
    const wrongToken = `hcp_${'A'.repeat(43)}`;
    const checked = await call(target, 'sync.configure', { platformUrl: platform.url, token: wrongToken });
    expect(checked.check).toMatchObject({ ok: false, reachable: true, authorised: false, error: { code: 'UNAUTHORIZED' } });
    // The settings are kept whatever the check found.
    expect(checked.status).toMatchObject({ configured: true, tokenHint: 'AAAA', state: 'error', lastError: { code: 'UNAUTHORIZED' } });

    const first = await confirmCase(target);
    expect(await sync.syncNow()).toMatchObject({ state: 'error', queueLength: 0, failedCount: 1, lastError: { code: 'UNAUTHORIZED' } });
    const failed = await call(target, 'sync.caseState', { caseId: first.id });
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null, error: { code: 'UNAUTHORIZED' } });
    expect(failed.error?.message).toContain('This token is not known to the platform');
    // Every case would fail the same way: sending waits for the settings instead of burning the queue.
    const second = await confirmCase(target);
    await sync.syncNow();
    expect(await call(target, 'sync.caseState', { caseId: second.id })).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(recording.puts()).toHaveLength(1);

    const fixed = await call(target, 'sync.configure', { platformUrl: platform.url, token });
    expect(fixed.check).toMatchObject({ ok: true, authorised: true });
    // The case refused for the old token is back in the queue by itself; retrying the rest finds none.
    expect(fixed.status).toMatchObject({ queueLength: 2, failedCount: 0, state: 'idle', lastError: null });
    expect(await call(target, 'sync.retryFailed', {})).toMatchObject({ requeued: 0 });
    expect(await sync.syncNow()).toMatchObject({ queueLength: 0, failedCount: 0, state: 'idle' });
    for (const entry of [first, second]) expect(await call(target, 'sync.caseState', { caseId: entry.id })).toMatchObject({ state: 'sent', error: null });
    expect((await platform.cases('SY03')).map((row) => row.case_id).sort()).toEqual([first.id, second.id].sort());

    // A revoked token says so.
    await platform.revokeStation('SY03');
    const third = await confirmCase(target);
    expect(await sync.syncNow()).toMatchObject({ state: 'error', failedCount: 1, lastError: { code: 'TOKEN_REVOKED' } });
    const revoked = await call(target, 'sync.caseState', { caseId: third.id });
    expect(revoked).toMatchObject({ state: 'failed', error: { code: 'TOKEN_REVOKED' } });
    expect(revoked.error?.message).toMatch(/revoked/);
  });

  it('explains an HTML answer (a wrong URL) and keeps the case until the URL is fixed', async () => {
    const token = await platform.addStation('SY04');
    const page: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!DOCTYPE html><html><head><title>门户网站</title></head><body><h1>欢迎访问</h1></body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const target = await openConsole('SY04');
      const sync = target.services().sync;
      const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/portal`;
      const checked = await call(target, 'sync.configure', { platformUrl: pageUrl, token });
      expect(checked.check).toMatchObject({ ok: false, reachable: false, authorised: false, error: { code: 'PLATFORM_NOT_JSON', message: notJsonMessage } });
      expect(checked.status).toMatchObject({ configured: true, platformUrl: pageUrl, state: 'error' });

      const confirmed = await confirmCase(target);
      const status = await sync.syncNow();
      expect(status).toMatchObject({ state: 'error', queueLength: 1, lastError: { code: 'PLATFORM_NOT_JSON', message: notJsonMessage } });
      expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({
        state: 'waiting',
        attempts: 1,
        error: { code: 'PLATFORM_NOT_JSON', message: notJsonMessage },
      });

      // The right URL (the token already saved is kept) and the case goes at once, despite its backoff.
      const fixed = await call(target, 'sync.configure', { platformUrl: platform.url, token: null });
      expect(fixed.check).toMatchObject({ ok: true });
      expect(fixed.status).toMatchObject({ platformUrl: platform.url, tokenHint: token.slice(-4) });
      await sync.syncNow();
      expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'sent', attempts: 2 });
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it('refuses a URL that is not http(s), before saving anything', async () => {
    const target = await openConsole('SY04');
    for (const platformUrl of ['ftp://platform.example', 'platform.example', 'https://user:secret@platform.example', 'https://platform.example/?token=1', '']) {
      expect(await target.invoke('sync.configure', { platformUrl, token: null })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await call(target, 'sync.getStatus', {})).toMatchObject({ configured: false, platformUrl: null });
  });

  it('fails a case the platform holds with other content, with its number, and never overwrites it', async () => {
    const token = await platform.addStation('SY05');
    const target = await openConsole('SY05');
    const sync = target.services().sync;
    await call(target, 'sync.configure', { platformUrl: platform.url, token });
    const confirmed = await confirmCase(target);
    const stored = await target.services().database.get<{ payload: string }>('SELECT payload FROM outbox WHERE case_id = ?', [confirmed.id]);
    const other = JSON.parse(stored?.payload ?? '{}') as { fields: { summary: string } };
    other.fields.summary = '另一份内容';
    const first = await fetch(`${platform.url}/v1/cases/${confirmed.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...other, submittedAt: new Date().toISOString() }),
    });
    const { platformNumber } = (await first.json()) as { platformNumber: string };
    expect(first.status).toBe(201);

    expect(await sync.syncNow()).toMatchObject({ failedCount: 1, queueLength: 0, state: 'idle', lastError: { code: 'CONFLICT' } });
    const conflict = await call(target, 'sync.caseState', { caseId: confirmed.id });
    expect(conflict).toMatchObject({ state: 'failed', platformNumber, error: { code: 'CONFLICT' } });
    expect(conflict.error?.message).toContain('different content');
    // Retrying changes nothing on either side.
    expect(await call(target, 'sync.retryFailed', {})).toMatchObject({ requeued: 1 });
    await sync.syncNow();
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'failed', platformNumber, error: { code: 'CONFLICT' } });
    const held = await platform.database.query<{ summary: string }>("SELECT body->'fields'->>'summary' AS summary FROM cases WHERE case_id = $1", [confirmed.id]);
    expect(held).toEqual([{ summary: '另一份内容' }]);
  });

  it('waits as long as a rate-limit answer asks, then goes on', async () => {
    const token = await platform.addStation('SY06');
    // Three requests, then one every 20 s.
    await platform.restart({ rateLimit: { requestsPerSecond: 0.05, burst: 3 } });
    const clock = new ManualClock(new Date());
    const recording = new RecordingFetch();
    const target = await openConsole('SY06', { clock, sync: { fetch: recording.fetch, concurrency: 1 } });
    const sync = target.services().sync;
    await call(target, 'sync.configure', { platformUrl: platform.url, token });
    const cases = [await confirmCase(target), await confirmCase(target), await confirmCase(target)];
    const status = await sync.syncNow();
    expect(status).toMatchObject({ state: 'offline', queueLength: 1, lastError: { code: 'RATE_LIMITED' } });
    const limited = recording.puts().find((request) => request.status === 429);
    const retryAfterSeconds = Number(limited?.retryAfter);
    expect(retryAfterSeconds).toBeGreaterThan(1);
    const waiting = await call(target, 'sync.caseState', { caseId: cases[2]!.id });
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, error: { code: 'RATE_LIMITED' } });
    expect(Date.parse(waiting.nextAttemptAt ?? '') - clock.now().getTime()).toBeGreaterThanOrEqual(retryAfterSeconds * 1_000);
    // The whole station holds back, the change feed included.
    const before = recording.requests.length;
    await sync.syncNow();
    expect(recording.requests.length).toBe(before);

    clock.advance(retryAfterSeconds * 1_000 + 1);
    await platform.restart({ rateLimit: undefined });
    expect(await sync.syncNow()).toMatchObject({ state: 'idle', queueLength: 0 });
    expect(await call(target, 'sync.caseState', { caseId: cases[2]!.id })).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('warns when the console clock is hours off, and still delivers', async () => {
    const token = await platform.addStation('SY07');
    const clock = new ManualClock(new Date(Date.now() + 3 * 3_600_000));
    const target = await openConsole('SY07', { clock });
    const configured = await call(target, 'sync.configure', { platformUrl: platform.url, token });
    expect(configured.check.ok).toBe(true);
    expect(Math.abs((configured.check.clockSkewSeconds ?? 0) - 10_800)).toBeLessThan(30);
    expect(configured.status).toMatchObject({ clockSkewWarning: true });
    const confirmed = await confirmCase(target);
    const status = await target.services().sync.syncNow();
    expect(status.clockSkewWarning).toBe(true);
    expect(Math.abs((status.clockSkewSeconds ?? 0) - 10_800)).toBeLessThan(30);
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'sent' });
  });
});

describe('the sync loop', () => {
  it('delivers a case as soon as it is confirmed, and brings its status changes on the platform back', async () => {
    const token = await platform.addStation('SY08');
    const target = await openConsole('SY08', { sync: { autoStart: true, pullIntervalMs: 100 } });
    const events = new SyncEvents(target);
    await call(target, 'sync.configure', { platformUrl: platform.url, token });
    const confirmed = await confirmCase(target);
    expect(await events.caseChange((change) => change.caseId === confirmed.id && change.state === 'waiting')).toMatchObject({ attempts: 0 });
    const sent = await events.caseChange((change) => change.caseId === confirmed.id && change.state === 'sent');
    expect(sent.platformNumber).toMatch(/^P\d{8}-\d{7}$/);
    expect(events.statuses.some((status) => status.state === 'sending')).toBe(true);

    await platform.setStatus(confirmed.id, { status: 'dispatched', department: '朝阳区望京街道办事处' });
    expect(await events.caseChange((change) => change.caseId === confirmed.id && change.platformStatus?.status === 'dispatched')).toMatchObject({
      state: 'sent',
      platformNumber: sent.platformNumber,
      platformStatus: { department: '朝阳区望京街道办事处', reply: null, followUpVerdict: null },
    });
    await platform.setStatus(confirmed.id, { status: 'handled', reply: '已联系物业，电梯于当日修复。' });
    await events.caseChange((change) => change.caseId === confirmed.id && change.platformStatus?.status === 'handled');
    await platform.setStatus(confirmed.id, { status: 'closed', followUpVerdict: 'unsatisfied' });
    const closed = await events.caseChange((change) => change.caseId === confirmed.id && change.platformStatus?.followUpVerdict === 'unsatisfied');
    expect(closed.platformStatus).toMatchObject({ status: 'closed', department: '朝阳区望京街道办事处', reply: '已联系物业，电梯于当日修复。' });
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ platformStatus: closed.platformStatus });
    expect(await call(target, 'sync.caseStates', { caseIds: [confirmed.id] })).toEqual([{ ...closed }]);

    // Each change is applied once: pulling again finds nothing new for the case.
    const seen = events.caseChanges.length;
    await target.services().sync.syncNow();
    expect(events.caseChanges.length).toBe(seen);
    const { changesCursor } = await new SyncStore(target.services().database, new ManualClock(new Date())).readSettings();
    expect(Number(changesCursor)).toBeGreaterThan(0);
  });

  it('continues after the console is closed mid-transfer, without losing or duplicating a case', async () => {
    const token = await platform.addStation('SY09');
    const sentOrder: string[] = [];
    let letThrough = 2;
    let reachedHang: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (reachedHang = resolve));
    // The platform stores the third case, but its answer never reaches the console before it closes.
    const cutOff: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method !== 'PUT') return response;
      sentOrder.push(String(input).split('/').at(-1) ?? '');
      if (letThrough-- > 0) return response;
      reachedHang();
      return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const first = await openConsole('SY09', { sync: { autoStart: true, concurrency: 1, fetch: cutOff } });
    await call(first, 'sync.configure', { platformUrl: platform.url, token });
    const confirmed: Case[] = [];
    for (let index = 0; index < 5; index += 1) confirmed.push(await confirmCase(first));
    await hung;
    await first.close();
    app = null;

    const reopened = await openConsole('SY09', { sync: { concurrency: 2, fetch: async (input, init) => {
      if (init?.method === 'PUT') sentOrder.push(String(input).split('/').at(-1) ?? '');
      return fetch(input, init);
    } } });
    const ids = confirmed.map((entry) => entry.id);
    const before = await call(reopened, 'sync.caseStates', { caseIds: ids });
    const stateOf = (states: CaseSyncChange[], id: string) => states.find((state) => state.caseId === id)?.state;
    expect(ids.map((id) => stateOf(before, id))).toEqual(['sent', 'sent', 'waiting', 'waiting', 'waiting']);
    // The cut-off delivery was not counted as an attempt: nothing came back for it.
    expect(before.find((state) => state.caseId === ids[2])).toMatchObject({ attempts: 0, error: null });
    expect(await platform.cases('SY09')).toHaveLength(3);

    expect(await reopened.services().sync.syncNow()).toMatchObject({ queueLength: 0, failedCount: 0, lastError: null });
    const after = await call(reopened, 'sync.caseStates', { caseIds: ids });
    expect(ids.map((id) => stateOf(after, id))).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    const onPlatform = await platform.cases('SY09');
    expect(onPlatform).toHaveLength(5);
    // The resent case got the number the platform gave it before the console closed.
    for (const state of after) expect(onPlatform.find((row) => row.case_id === state.caseId)?.platform_number).toBe(state.platformNumber);
    // Oldest first: the first session sent 1, 2 and (cut off) 3; the second 3, 4, 5.
    expect(sentOrder.slice(0, 3)).toEqual(ids.slice(0, 3));
    expect(sentOrder.slice(3).sort()).toEqual(ids.slice(2).sort());
  });

  it('applies each change once and never lets an older change overwrite a newer one', async () => {
    const target = await openConsole('SY10');
    const confirmed = await confirmCase(target);
    const store = new SyncStore(target.services().database, new ManualClock(new Date()));
    const change = (cursor: string, status: 'dispatched' | 'handled', changedAt: string) => ({
      cursor,
      caseId: confirmed.id,
      platformNumber: 'P20261122-0000042',
      stationCode: 'SY10',
      status,
      department: '望京街道',
      reply: null,
      followUpVerdict: null,
      changedAt,
    });
    const handled = change('8', 'handled', '2026-11-22T03:00:00.000Z');
    expect(await store.applyChanges([handled], '8', new Date())).toEqual({ changed: [confirmed.id], unknown: 0 });
    // The platform had it all along: the waiting entry is marked sent with its number.
    expect(await call(target, 'sync.caseState', { caseId: confirmed.id })).toMatchObject({ state: 'sent', platformNumber: 'P20261122-0000042' });
    expect(await store.applyChanges([handled], '8', new Date())).toEqual({ changed: [], unknown: 0 });
    expect(await store.applyChanges([change('5', 'dispatched', '2026-11-22T02:00:00.000Z')], '8', new Date())).toEqual({ changed: [], unknown: 0 });
    const unknownCase = { ...handled, caseId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', cursor: '9' };
    expect(await store.applyChanges([unknownCase], '9', new Date())).toEqual({ changed: [], unknown: 1 });
    expect((await call(target, 'sync.caseState', { caseId: confirmed.id })).platformStatus).toEqual({
      status: 'handled',
      department: '望京街道',
      reply: null,
      followUpVerdict: null,
      changedAt: '2026-11-22T03:00:00.000Z',
    });
    expect((await store.readSettings()).changesCursor).toBe('9');
  });
});
