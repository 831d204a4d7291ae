// `npm run bench:sync [-- --cases 5000 --concurrency 4 --consoles 50 --per-console 100 --backends pglite,postgres]`:
// the console → platform sync on loopback, for each platform backend (PGlite, then PostgreSQL in a
// throwaway cluster), with the platform in a process of its own:
//  (a) one console with a queue of N confirmed cases: sustained delivery rate (cases/s, first PUT to
//      last answer) and the p95 of the PUT round trip as the console's fetch sees it;
//  (b) M simulated consoles (plain HTTP clients with keep-alive, one station token each) submitting
//      their own cases at once, one after another: the platform's ingest rate and p95 latency.
// Afterwards the platform's records are counted: nothing lost, nothing duplicated. Prints a table,
// then one JSON line per backend (the M-console figures; the single console's as extra keys).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { caseFieldsSchema } from '../../src-main/contract';
import { casePayloadSchemaVersion } from '../../src-main/core/sync/case-payload';
import { openDatabase, type DatabaseLocation } from '../../src-platform/storage/open-database';
import { seededRandom } from '../support/fault-proxy';
import { issueStationToken } from '../support/platform-backends';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres-server';
import { checkDelivery, confirmInBulk, percentile, round, TimedFetch, variedCaseFields } from '../support/sync-harness';
import { call, makeTempDir, openTestConsole, removeTempDir } from '../support/temp-console';

type Backend = 'pglite' | 'postgres';

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: {
    cases: { type: 'string' },
    concurrency: { type: 'string' },
    consoles: { type: 'string' },
    'per-console': { type: 'string' },
    backends: { type: 'string' },
  },
});

function whole(name: string, text: string | undefined, fallback: number): number {
  const value = Number(text ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, not "${text}".`);
  return value;
}

const singleConsoleCases = whole('cases', values.cases, 5_000);
const concurrency = whole('concurrency', values.concurrency, 4);
const consoleCount = whole('consoles', values.consoles, 50);
const perConsole = whole('per-console', values['per-console'], 100);
const backends = (values.backends ?? 'pglite,postgres').split(',').map((name) => {
  if (name !== 'pglite' && name !== 'postgres') throw new Error(`--backends lists pglite and/or postgres, not "${name}".`);
  return name as Backend;
});

// The per-token limit (200 requests/s by default) would cap the one console below what the sync can
// do; the benchmark measures the sync and the ingest, so the platform runs without it.
const unlimited = { requestsPerSecond: 1_000_000, burst: 1_000_000 };

interface RunningPlatformProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts the platform on `location` in its own process (tests/support/platform-process.ts). */
async function startPlatformProcess(location: DatabaseLocation): Promise<RunningPlatformProcess> {
  const child = fork(fileURLToPath(new URL('../support/platform-process.ts', import.meta.url)), [JSON.stringify({ ...location, rateLimit: unlimited })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    void exited.then(() => reject(new Error('The platform process ended before it was ready.')));
  });
  let stopping: Promise<void> | null = null;
  return {
    url,
    stop: () => {
      stopping ??= (async () => {
        if (child.connected) child.send('stop');
        await exited;
      })();
      return stopping;
    },
  };
}

/** A submission shaped like the console's (tests/support variedCaseFields, laid out as buildCasePayload does). */
function simulatedSubmission(stationCode: string, index: number, random: () => number): string {
  const fields = caseFieldsSchema.parse(variedCaseFields(index, random));
  const now = new Date().toISOString();
  return JSON.stringify({
    code: `${stationCode}-20261122-${String(index + 1).padStart(4, '0')}`,
    stationCode,
    confirmedAt: now,
    fields: { ...fields, deadline: now },
    schemaVersion: casePayloadSchemaVersion,
    submittedAt: now,
  });
}

function put(agent: Agent, url: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'PUT', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) } },
      (answer) => {
        answer.resume();
        answer.once('end', () => resolve(answer.statusCode ?? 0));
        answer.once('error', reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

interface BackendResult {
  backend: Backend;
  cases: number;
  lost: number;
  duplicated: number;
  casesPerSecond: number;
  p95Ms: number | null;
  consoles: number;
  p50Ms: number | null;
  p99Ms: number | null;
  singleConsoleCases: number;
  singleConsoleConcurrency: number;
  singleConsoleCasesPerSecond: number;
  singleConsoleP95Ms: number | null;
  singleConsoleP50Ms: number | null;
  /** Delivery and the change feed read back (every case's 'received' status on the console). */
  singleConsoleSettledSeconds: number | null;
}

async function benchBackend(backend: Backend, cluster: ThrowawayPostgres | null): Promise<BackendResult> {
  const folders: string[] = [];
  const location: DatabaseLocation =
    backend === 'postgres' && cluster ? { databaseUrl: await cluster.createDatabase(`bench_${randomUUID().replaceAll('-', '')}`) } : { dataDir: await makeTempDir('bench-platform-') };
  if (location.dataDir) folders.push(location.dataDir);

  // Stations first: the embedded database serves one process at a time.
  const setup = await openDatabase(location);
  const consoleStation = 'BENCH00';
  const consoleToken = await issueStationToken(setup, consoleStation);
  const simulated: { code: string; token: string }[] = [];
  for (let index = 1; index <= consoleCount; index += 1) {
    const code = `SIM${String(index).padStart(3, '0')}`;
    simulated.push({ code, token: await issueStationToken(setup, code) });
  }
  await setup.close();

  const platform = await startPlatformProcess(location);
  const consoleDir = await makeTempDir('bench-console-');
  folders.push(consoleDir);
  const timed = new TimedFetch();
  const app = await openTestConsole(consoleDir, {
    stationCode: consoleStation,
    sync: { autoStart: false, concurrency, fetch: timed.fetch },
    drafting: { retrainAfterConfirmed: Number.MAX_SAFE_INTEGER },
  });
  let consoleClosed = false;
  try {
    // (a) One console, a long queue.
    await call(app, 'sync.configure', { platformUrl: platform.url, token: consoleToken });
    console.log(`${backend}: confirming ${singleConsoleCases} cases on one console…`);
    await confirmInBulk(app, { count: singleConsoleCases, stationCode: consoleStation, clock: { now: () => new Date() }, random: seededRandom(11) });
    console.log(`${backend}: one console delivers them (concurrency ${concurrency})…`);
    const sync = app.services().sync;
    timed.reset();
    const settleStarted = performance.now();
    let passes = 0;
    for (; passes < 20; passes += 1) {
      const status = await sync.syncNow();
      if (status.queueLength === 0 && status.failedCount === 0) break;
    }
    const settledSeconds = (performance.now() - settleStarted) / 1000;
    const deliverySeconds = ((timed.lastPutAt ?? 0) - (timed.firstPutAt ?? 0)) / 1000;

    // (b) Many consoles at once.
    console.log(`${backend}: ${consoleCount} simulated consoles submit ${perConsole} cases each, at once…`);
    const latencies: number[] = [];
    const refused: string[] = [];
    const ingestStarted = performance.now();
    await Promise.all(
      simulated.map(async (station, stationIndex) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const random = seededRandom(100 + stationIndex);
        try {
          for (let index = 0; index < perConsole; index += 1) {
            const body = simulatedSubmission(station.code, index, random);
            const startedAt = performance.now();
            const status = await put(agent, `${platform.url}/v1/cases/${randomUUID()}`, station.token, body);
            latencies.push(performance.now() - startedAt);
            if (status !== 201) refused.push(`${station.code} #${index}: HTTP ${status}`);
          }
        } finally {
          agent.destroy();
        }
      }),
    );
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    if (refused.length > 0) console.error(`${refused.length} submissions were not stored: ${refused.slice(0, 5).join('; ')}`);

    // Counting on the platform (after it stops: the embedded database serves one process at a time).
    await platform.stop();
    const check = await openDatabase(location);
    try {
      const report = await checkDelivery(app, check, consoleStation);
      const counts = await check.query<{ station_code: string; records: number; codes: number }>(
        "SELECT station_code, count(*)::int AS records, count(DISTINCT code)::int AS codes FROM cases WHERE station_code LIKE 'SIM%' GROUP BY station_code",
      );
      const stored = counts.reduce((sum, row) => sum + row.records, 0);
      const distinct = counts.reduce((sum, row) => sum + row.codes, 0);
      const expected = consoleCount * perConsole;
      await app.close();
      consoleClosed = true;
      return {
        backend,
        cases: expected,
        lost: Math.max(0, expected - distinct) + report.lost,
        duplicated: stored - distinct + report.duplicated,
        casesPerSecond: Math.round(expected / ingestSeconds),
        p95Ms: round(percentile(latencies, 95)),
        consoles: consoleCount,
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        singleConsoleCases: report.confirmed,
        singleConsoleConcurrency: concurrency,
        singleConsoleCasesPerSecond: Math.round(singleConsoleCases / deliverySeconds),
        singleConsoleP95Ms: round(percentile(timed.putLatenciesMs, 95)),
        singleConsoleP50Ms: round(percentile(timed.putLatenciesMs, 50)),
        singleConsoleSettledSeconds: report.notSent.length === 0 && report.statusesBehind.length === 0 ? round(settledSeconds, 2) : null,
      };
    } finally {
      await check.close();
    }
  } finally {
    if (!consoleClosed) await app.close();
    await platform.stop().catch(() => undefined);
    for (const folder of folders) await removeTempDir(folder);
  }
}

function printTable(results: BackendResult[]): void {
  const rows: [string, (result: BackendResult) => string][] = [
    [`one console, ${singleConsoleCases} cases queued: cases/s`, (result) => String(result.singleConsoleCasesPerSecond)],
    ['one console: PUT round trip p50 / p95 (ms)', (result) => `${result.singleConsoleP50Ms} / ${result.singleConsoleP95Ms}`],
    ['one console: delivered and statuses read back (s)', (result) => String(result.singleConsoleSettledSeconds ?? 'not settled')],
    [`${consoleCount} consoles × ${perConsole} at once: cases/s`, (result) => String(result.casesPerSecond)],
    [`${consoleCount} consoles: PUT p50 / p95 / p99 (ms)`, (result) => `${result.p50Ms} / ${result.p95Ms} / ${result.p99Ms}`],
    ['lost / duplicated', (result) => `${result.lost} / ${result.duplicated}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${'sync benchmark'.padEnd(width)}  ${results.map((result) => result.backend.padStart(20)).join('')}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${results.map((result) => value(result).padStart(20)).join('')}`);
  console.log('');
}

const results: BackendResult[] = [];
let cluster: ThrowawayPostgres | null = null;
try {
  for (const backend of backends) {
    if (backend === 'postgres') cluster ??= await startThrowawayPostgres();
    results.push(await benchBackend(backend, cluster));
  }
} finally {
  await cluster?.stop();
}
printTable(results);
for (const result of results) console.log(JSON.stringify(result));
process.exitCode = results.some((result) => result.lost > 0 || result.duplicated > 0) ? 1 : 0;
