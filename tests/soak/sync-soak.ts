// `npm run test:soak -- [--cases 10000] [--backend pglite|postgres] [--seed 1] [--fault-rate 0.2]`:
// pushes N confirmed cases from one console to the real platform through the fault-injecting proxy
// with a seeded random policy (every fault kind, short outages), while the platform moves a share of
// the cases along (dispatched, handled, closed); syncs until everything has settled (bounded by
// passes), then checks that nothing was lost or duplicated, that every stored body is what the
// console confirmed, and that every status change is back on the console. Prints progress and ends
// with one JSON line; the exit code is 1 when anything is lost, duplicated, different or missing.
// `npm test` runs a 300-case soak (tests/integration/sync/sync-soak.test.ts).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FaultProxy, faultKinds, randomFaults, seededRandom, type FaultKind } from '../support/fault-proxy';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres-server';
import { advanceRandomCases, checkDelivery, confirmInBulk, percentile, round, syncUntilSettled, TimedFetch } from '../support/sync-harness';
import { call, makeTempDir, ManualClock, openTestConsole, removeTempDir } from '../support/temp-console';
import { TestPlatform } from '../support/test-platform';

export interface SoakOptions {
  cases: number;
  backend: 'pglite' | 'postgres';
  seed: number;
  /** 0..1: the share of requests that meet a fault. */
  faultRate: number;
  /** Progress lines; the JSON result is the caller's to print. */
  log: (line: string) => void;
}

export interface SoakResult {
  backend: SoakOptions['backend'];
  cases: number;
  lost: number;
  duplicated: number;
  contentDiffers: number;
  statusesBehind: number;
  faults: Record<FaultKind, number>;
  requests: number;
  statusChanges: number;
  passes: number;
  /** Confirmed cases delivered per second of the sync phase (faults, retries and pulls included). */
  casesPerSecond: number;
  /** PUT round trips that the platform answered with 2xx, as the console's fetch saw them. */
  p95Ms: number | null;
  consoles: 1;
  seconds: number;
}

const stationCode = 'SOAK01';

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const startedAt = performance.now();
  const seconds = () => (performance.now() - startedAt) / 1000;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    let cluster: ThrowawayPostgres | null = null;
    if (options.backend === 'postgres') {
      cluster = await startThrowawayPostgres();
      cleanup.push(() => cluster?.stop() ?? Promise.resolve());
    }
    // The proxy injects the 429s; the platform's own per-token limit would only add uncounted ones.
    const platform = await TestPlatform.start({
      databaseUrl: cluster ? await cluster.createDatabase('soak') : undefined,
      rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 },
    });
    cleanup.push(() => platform.close());
    const token = await platform.addStation(stationCode);
    const proxy = await FaultProxy.start(platform.url);
    cleanup.push(() => proxy.close());

    const dataDir = await makeTempDir('hotline-soak-');
    cleanup.push(() => removeTempDir(dataDir));
    const clock = new ManualClock(new Date());
    const timed = new TimedFetch();
    const app = await openTestConsole(dataDir, {
      stationCode,
      clock,
      // A hang costs its timeout in real time; 250 ms is far above a loopback answer.
      sync: { autoStart: false, backoff: { baseMs: 1, capMs: 20 }, random: seededRandom(options.seed + 1), requestTimeoutMs: 250, fetch: timed.fetch },
      drafting: { retrainAfterConfirmed: Number.MAX_SAFE_INTEGER },
    });
    cleanup.push(() => app.close());
    await call(app, 'sync.configure', { platformUrl: proxy.url, token });
    options.log(`soak: ${options.backend}, ${options.cases} cases, ${Math.round(options.faultRate * 100)}% faults, seed ${options.seed}`);

    const confirmStarted = performance.now();
    await confirmInBulk(app, {
      count: options.cases,
      stationCode,
      clock,
      random: seededRandom(options.seed + 2),
      onProgress: (done) => {
        if (done % 2_000 === 0 || done === options.cases) options.log(`  confirmed ${done}`);
      },
    });
    options.log(`  confirmed ${options.cases} cases in ${((performance.now() - confirmStarted) / 1000).toFixed(1)} s`);

    // Hangs cost real time (the client's timeout): rarer than the others.
    proxy.setPolicy(randomFaults({ rate: options.faultRate, random: seededRandom(options.seed), weights: { hang: 0.25 } }));
    const statusRandom = seededRandom(options.seed + 3);
    // About one case in ten moves along on the platform, some of them several steps, while the sync goes on.
    const statusTarget = Math.max(5, Math.round(options.cases / 10));
    let statusChanges = 0;
    const syncStarted = performance.now();
    const settleOptions = {
      clock,
      platform: platform.database,
      stationCode,
      // Each pass delivers a handful between faults; far more than enough, and still a bound.
      maxPasses: 200 + options.cases * 2,
      afterPass: async (pass: number) => {
        if (pass % 25 === 0 && statusChanges < statusTarget) {
          statusChanges += await advanceRandomCases(platform, stationCode, Math.min(50, statusTarget - statusChanges), statusRandom);
        }
        if (pass % 250 === 0) {
          const status = await app.services().sync.getStatus();
          const faults = faultKinds.reduce((sum, kind) => sum + proxy.counts[kind], 0);
          options.log(`  pass ${pass}: ${options.cases - status.queueLength} delivered, ${faults} faults, ${statusChanges} status changes, ${seconds().toFixed(0)} s`);
        }
      },
    };
    let passes = await syncUntilSettled(app, settleOptions);
    const deliveredAt = performance.now();
    if (statusChanges < statusTarget) {
      statusChanges += await advanceRandomCases(platform, stationCode, statusTarget - statusChanges, statusRandom);
      passes += await syncUntilSettled(app, { ...settleOptions, afterPass: undefined });
    }
    proxy.setPolicy(() => 'pass');

    const report = await checkDelivery(app, platform.database, stationCode);
    const faults = Object.fromEntries(faultKinds.map((kind) => [kind, proxy.counts[kind]])) as Record<FaultKind, number>;
    return {
      backend: options.backend,
      cases: report.confirmed,
      lost: report.lost,
      duplicated: report.duplicated,
      contentDiffers: report.contentDiffers.length,
      statusesBehind: report.statusesBehind.length,
      faults,
      requests: proxy.log.length,
      statusChanges,
      passes,
      casesPerSecond: Math.round(options.cases / ((deliveredAt - syncStarted) / 1000)),
      p95Ms: round(percentile(timed.putLatenciesMs, 95)),
      consoles: 1,
      seconds: round(seconds()) ?? 0,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error('soak: cleaning up failed:', error));
  }
}

/** Whether the soak found anything wrong. */
export function soakFailed(result: SoakResult): boolean {
  return result.lost > 0 || result.duplicated > 0 || result.contentDiffers > 0 || result.statusesBehind > 0;
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { cases: { type: 'string' }, backend: { type: 'string' }, seed: { type: 'string' }, 'fault-rate': { type: 'string' } },
  });
  const cases = Number(values.cases ?? 10_000);
  const seed = Number(values.seed ?? 1);
  const faultRate = Number(values['fault-rate'] ?? 0.2);
  const backend = values.backend ?? 'pglite';
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`--cases must be a whole number of at least 1, not "${values.cases}".`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not "${values.seed}".`);
  if (!(faultRate >= 0 && faultRate < 1)) throw new Error(`--fault-rate must be at least 0 and below 1, not "${values['fault-rate']}".`);
  if (backend !== 'pglite' && backend !== 'postgres') throw new Error(`--backend must be pglite or postgres, not "${backend}".`);
  return { cases, seed, faultRate, backend, log: (line) => console.log(line) };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const result = await runSoak(parseOptions(process.argv.slice(2)));
    if (soakFailed(result)) console.error('soak: FAILED: something was lost, duplicated, changed or not brought back.');
    console.log(JSON.stringify(result));
    process.exitCode = soakFailed(result) ? 1 : 0;
  } catch (error) {
    console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  }
}
