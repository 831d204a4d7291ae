// The sync against the real platform through a fault-injecting proxy on loopback (tests/support/
// fault-proxy.ts): every kind of fault on its own, all of them in one run on both platform backends,
// an outage, and a console killed with SIGKILL in the middle of a sync. After each: every confirmed
// case is on the platform exactly once with the content the console confirmed, and every status
// change made on the platform is back on the console. The console runs on a manual clock, so that
// backoff and Retry-After pass by the test's hand; passes are bounded by count, never by time.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseSyncChange, SyncErrorCode, SyncStatus } from '../../../src-main/contract';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import type { SyncOptions } from '../../../src-main/core/sync/sync-service';
import { FaultProxy, faultKinds, seededRandom, type FaultKind } from '../../support/fault-proxy';
import { platformBackends, PlatformTestDatabases } from '../../support/platform-backends';
import { setUpSuite } from '../../support/suite-setup';
import type { SyncChildOrder, SyncChildReport } from '../../support/sync-child';
import { advanceRandomCases, checkDelivery, confirmThroughApp, syncUntilSettled, type DeliveryReport } from '../../support/sync-harness';
import { call, makeTempDir, ManualClock, openTestConsole, removeTempDir } from '../../support/temp-console';
import { TestPlatform } from '../../support/test-platform';

const databases = new PlatformTestDatabases();
afterAll(() => databases.dispose());

/** Short backoff (the manual clock passes it anyway), jitter pinned, sending only when the test says. */
const testSync: Partial<SyncOptions> = { autoStart: false, backoff: { baseMs: 1, capMs: 20 }, random: () => 0.5, concurrency: 4 };

/** What the console reports for each fault. */
const errorOfFault: Record<FaultKind, SyncErrorCode | null> = {
  refuse: 'PLATFORM_UNREACHABLE',
  http500: 'INTERNAL',
  http503: 'UNAVAILABLE',
  http429: 'RATE_LIMITED',
  hang: 'PLATFORM_TIMEOUT',
  reset: 'PLATFORM_UNREACHABLE',
  lostResponse: 'PLATFORM_UNREACHABLE',
  duplicate: null,
  html: 'PLATFORM_NOT_JSON',
};

function delivered(count: number): DeliveryReport {
  return { confirmed: count, onPlatform: count, lost: 0, duplicated: 0, contentDiffers: [], numberDiffers: [], notSent: [], statusesBehind: [] };
}

interface Rig {
  app: ConsoleApp;
  clock: ManualClock;
  proxy: FaultProxy;
  stationCode: string;
  /** Every error code the console reported, for a case or for the sync as a whole. */
  errors: Set<SyncErrorCode>;
}

let stationNumber = 0;
let dataDir: string;
const toClose: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  for (const resource of toClose.splice(0).reverse()) await resource.close();
  await removeTempDir(dataDir);
});

/** A console with its own station, configured to reach `platform` through a new proxy. */
async function openRig(platform: TestPlatform, sync: Partial<SyncOptions> = {}): Promise<Rig> {
  const stationCode = `FT${String(++stationNumber).padStart(2, '0')}`;
  const token = await platform.addStation(stationCode);
  const proxy = await FaultProxy.start(platform.url);
  toClose.push(proxy);
  const clock = new ManualClock(new Date());
  const app = await openTestConsole(dataDir, { stationCode, clock, sync: { ...testSync, ...sync } });
  toClose.push(app);
  const errors = new Set<SyncErrorCode>();
  app.subscribe((envelope) => {
    const code =
      envelope.event === 'onCaseSyncChanged'
        ? (envelope.payload as CaseSyncChange).error?.code
        : envelope.event === 'onSyncStatusChanged'
          ? (envelope.payload as SyncStatus).lastError?.code
          : undefined;
    if (code) errors.add(code);
  });
  const configured = await call(app, 'sync.configure', { platformUrl: proxy.url, token });
  expect(configured.check).toMatchObject({ ok: true });
  return { app, clock, proxy, stationCode, errors };
}

/** Passes until everything is delivered and applied, and every scripted fault has been met. */
function settle(rig: Rig, platform: TestPlatform, maxPasses = 40): Promise<number> {
  return syncUntilSettled(rig.app, {
    clock: rig.clock,
    platform: platform.database,
    stationCode: rig.stationCode,
    maxPasses,
    also: () => rig.proxy.scriptLeft === 0,
  });
}

describe('each fault on its own (platform on PGlite)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await TestPlatform.start();
  }, 90_000);
  afterAll(() => platform?.close());

  it.each(faultKinds)('%s: every case once, with its content, and every status back', async (kind) => {
    const rig = await openRig(platform, kind === 'hang' ? { requestTimeoutMs: 300 } : {});
    const random = seededRandom(faultKinds.indexOf(kind) + 1);
    const confirmed = await confirmThroughApp(rig.app, 6, random);

    // Deliveries first: three submissions meet the fault.
    rig.proxy.enqueue([kind, kind, kind], { method: 'PUT' });
    await settle(rig, platform);
    expect(rig.proxy.counts[kind]).toBe(3);
    expect(await checkDelivery(rig.app, platform.database, rig.stationCode)).toEqual(delivered(6));

    // Then the way back: the platform moves the cases along, and two reads of its change feed meet the fault.
    expect(await advanceRandomCases(platform, rig.stationCode, 10, random)).toBe(10);
    rig.proxy.enqueue([kind, kind], { method: 'GET', path: '/v1/changes' });
    await settle(rig, platform);
    expect(rig.proxy.counts[kind]).toBe(5);
    expect(await checkDelivery(rig.app, platform.database, rig.stationCode)).toEqual(delivered(6));
    const states = await call(rig.app, 'sync.caseStates', { caseIds: confirmed.map((entry) => entry.id) });
    expect(states.filter((state) => state.platformStatus && state.platformStatus.status !== 'received').length).toBeGreaterThan(0);

    const expected = errorOfFault[kind];
    if (expected) expect([...rig.errors]).toContain(expected);
    const puts = rig.proxy.log.filter((entry) => entry.method === 'PUT');
    if (kind === 'lostResponse') {
      // The platform stored each of them. The console, left without the answer, learnt the number
      // from a resend (answered 200 with the first number) or from the change feed: never a second record.
      const lost = puts.filter((entry) => entry.behaviour === 'lostResponse');
      expect(lost.map((entry) => entry.upstreamStatuses)).toEqual([[201], [201], [201]]);
      const lostPaths = new Set(lost.map((entry) => entry.path));
      for (const entry of puts.filter((candidate) => candidate.behaviour === 'pass' && lostPaths.has(candidate.path))) expect(entry.upstreamStatuses).toEqual([200]);
    }
    if (kind === 'duplicate') {
      // Each submission reached the platform twice: stored once, recognised the second time.
      for (const entry of puts.filter((candidate) => candidate.behaviour === 'duplicate')) expect([...entry.upstreamStatuses].sort()).toEqual([200, 201]);
    }
  });

  it('keeps the cases while the platform is down (connections refused), then delivers each once', async () => {
    const rig = await openRig(platform);
    await confirmThroughApp(rig.app, 5, seededRandom(21));
    await rig.proxy.goDown();
    for (let pass = 0; pass < 3; pass += 1) {
      rig.clock.advance(2_000);
      const status = await rig.app.services().sync.syncNow();
      expect(status).toMatchObject({ state: 'offline', queueLength: 5, failedCount: 0, lastError: { code: 'PLATFORM_UNREACHABLE' } });
      expect(status.lastError?.message).toMatch(/ECONNREFUSED/);
    }
    expect(await platform.cases(rig.stationCode)).toEqual([]);
    await rig.proxy.comeUp();
    await settle(rig, platform);
    await advanceRandomCases(platform, rig.stationCode, 8, seededRandom(22));
    await settle(rig, platform);
    expect(await checkDelivery(rig.app, platform.database, rig.stationCode)).toEqual(delivered(5));
  });

  it('loses and duplicates nothing when the console is killed with SIGKILL mid-sync and started again', async () => {
    const stationCode = 'KILL01';
    const token = await platform.addStation(stationCode);
    const proxy = await FaultProxy.start(platform.url);
    toClose.push(proxy);
    // Three submissions go through; the next ones reach the platform, which stores them, but their
    // answers stay in the proxy: requests in flight when the console dies.
    proxy.enqueue(['pass', 'pass', 'pass', ...Array<'holdResponse'>(20).fill('holdResponse')], { method: 'PUT' });

    const child = fork(fileURLToPath(new URL('../../support/sync-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const confirmedIds = new Promise<string[]>((resolve, reject) => {
      child.on('message', (message: SyncChildReport) => {
        if (message.kind === 'confirmed') resolve(message.caseIds);
        if (message.kind === 'failed') reject(new Error(`the console process failed: ${message.message}`));
      });
      void exited.then(() => reject(new Error('the console process ended before confirming its cases')));
    });
    const order: SyncChildOrder = { dataDir, stationCode, platformUrl: proxy.url, token, cases: 12 };
    child.send(order);
    try {
      expect(await confirmedIds).toHaveLength(12);
      // Four deliveries under way at once (the console's concurrency), each already stored by the platform.
      await proxy.waitUntil(() => proxy.heldCount >= 4);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    proxy.clearScript();
    proxy.releaseHeld();
    const held = proxy.log.filter((entry) => entry.behaviour === 'holdResponse');
    expect(held.map((entry) => entry.upstreamStatuses)).toEqual([[201], [201], [201], [201]]);
    expect(await platform.cases(stationCode)).toHaveLength(7);

    // Started again on the same data folder (its lock, left by the dead process, is taken over).
    const clock = new ManualClock(new Date());
    const app = await openTestConsole(dataDir, { stationCode, clock, sync: testSync });
    toClose.push(app);
    const passes = await syncUntilSettled(app, { clock, platform: platform.database, stationCode, maxPasses: 10 });
    expect(passes).toBeGreaterThan(0);
    await advanceRandomCases(platform, stationCode, 12, seededRandom(31));
    await syncUntilSettled(app, { clock, platform: platform.database, stationCode, maxPasses: 10 });
    expect(await checkDelivery(app, platform.database, stationCode)).toEqual(delivered(12));
    // The four cut off by the kill were sent again and answered with the numbers they already had.
    const heldPaths = new Set(held.map((entry) => entry.path));
    const resent = proxy.log.filter((entry) => entry.method === 'PUT' && entry.behaviour === 'pass' && heldPaths.has(entry.path));
    expect(resent.map((entry) => entry.upstreamStatuses)).toEqual([[200], [200], [200], [200]]);
  });
});

describe.each(platformBackends)('every fault in one run (platform on %s)', (backend) => {
  let platform: TestPlatform;
  setUpSuite(async () => {
    const location = backend === 'postgres' ? await databases.freshLocation('postgres') : {};
    platform = await TestPlatform.start({ databaseUrl: location.databaseUrl });
  }, 120_000);
  afterAll(() => platform?.close());

  it('delivers every case exactly once with its content, and brings every status change back', async () => {
    const rig = await openRig(platform, { requestTimeoutMs: 500 });
    const random = seededRandom(backend === 'postgres' ? 41 : 42);
    await confirmThroughApp(rig.app, 12, random);
    rig.proxy.enqueue(faultKinds, { method: 'PUT' });
    // And an outage in the middle of it.
    rig.clock.advance(2_000);
    await rig.app.services().sync.syncNow();
    await rig.proxy.goDown();
    rig.clock.advance(2_000);
    expect(await rig.app.services().sync.syncNow()).toMatchObject({ state: 'offline', lastError: { code: 'PLATFORM_UNREACHABLE' } });
    await rig.proxy.comeUp();
    await settle(rig, platform, 60);
    expect(await checkDelivery(rig.app, platform.database, rig.stationCode)).toEqual(delivered(12));

    expect(await advanceRandomCases(platform, rig.stationCode, 24, random)).toBe(24);
    rig.proxy.enqueue(faultKinds, { method: 'GET', path: '/v1/changes' });
    await settle(rig, platform, 60);
    for (const kind of faultKinds) expect({ kind, count: rig.proxy.counts[kind] }).toEqual({ kind, count: 2 });
    expect(await checkDelivery(rig.app, platform.database, rig.stationCode)).toEqual(delivered(12));
    for (const code of Object.values(errorOfFault)) if (code) expect([...rig.errors]).toContain(code);
  });
});
