// What the sync's fault tests, the soak and the benchmark share: varied work orders, confirming them
// (through the app, or in bulk through the same confirmation and outbox code), driving sync passes
// until everything has settled, status changes made on the platform, and the one check that
// matters: every confirmed case on the platform exactly once, with its content, and every platform
// status back on the console.
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Case, CaseFieldsInput, SyncStatus } from '../../src-main/contract';
import { caseFieldsSchema } from '../../src-main/contract';
import { CaseService } from '../../src-main/core/cases/case-service';
import type { Clock } from '../../src-main/core/clock';
import type { ConsoleApp } from '../../src-main/core/console-app';
import { EventBus } from '../../src-main/core/events/event-bus';
import { nodeHttpFetch } from '../../src-main/core/sync/http-transport';
import { SyncStore, syncSettingKeys } from '../../src-main/core/sync/sync-store';
import type { Database as PlatformDatabase } from '../../src-platform/storage/database';
import { call, completeCaseFields } from './temp-console';
import type { TestPlatform } from './test-platform';

const districts = [
  { district: '朝阳区', street: '望京街道', community: '望京西园社区', estate: '望京西园三区' },
  { district: '海淀区', street: '中关村街道', community: '科源社区', estate: '科源小区' },
  { district: '东城区', street: '和平里街道', community: '和平里社区', estate: '和平里七区' },
];
const problems = ['电梯停运', '楼道灯不亮', '暖气不热', '下水道堵塞', '噪音扰民', '路面塌陷'];
const urgencies = ['极急', '急办', '常规'] as const;

/** A complete work order that differs from its neighbours in most fields, so that a content check means something. */
export function variedCaseFields(index: number, random: () => number): CaseFieldsInput {
  const place = districts[index % districts.length] ?? districts[0]!;
  const problem = problems[Math.floor(random() * problems.length)] ?? problems[0]!;
  return {
    ...completeCaseFields,
    callerPhone: `138${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    callerName: ['王先生', '李女士', '张先生', '刘女士'][index % 4] ?? '王先生',
    address: { ...place, detail: `${1 + (index % 30)}号楼${1 + (index % 4)}单元${100 + (index % 900)}`, divisionCode: null },
    urgency: urgencies[index % urgencies.length] ?? '常规',
    summary: `第${index + 1}号来电：小区${problem}，已持续${1 + Math.floor(random() * 9)}天，居民生活受影响，要求尽快处理。`,
  };
}

/** Confirms cases through the app's own method (`cases.confirm`), as the screen does. */
export async function confirmThroughApp(app: ConsoleApp, count: number, random: () => number, firstIndex = 0): Promise<Case[]> {
  const confirmed: Case[] = [];
  for (let index = firstIndex; index < firstIndex + count; index += 1) {
    confirmed.push(await call(app, 'cases.confirm', { caseId: null, callId: null, fields: variedCaseFields(index, random) }));
  }
  return confirmed;
}

/**
 * Confirms many cases quickly (the soak, the benchmark): the same `CaseService.confirm`, with the
 * same outbox (`SyncStore.enqueue`, in the confirming transaction), on the app's database, but
 * without what a confirmation also feeds and a sync run does not need: the past-case search index
 * (word segmentation of every case) and the drafting service's hotspot analysis, which listens on
 * the app's event bus. `batch` confirmations are under way at once.
 */
export async function confirmInBulk(
  app: ConsoleApp,
  options: { count: number; stationCode: string; clock: Clock; random: () => number; batch?: number; onProgress?: (done: number) => void },
): Promise<number> {
  const services = app.services();
  const cases = new CaseService(
    services.database,
    new EventBus(),
    services.calls,
    services.reference,
    { stationCode: options.stationCode, operatorName: 'soak-operator' },
    options.clock,
    { upsertPastCase: async () => undefined },
    undefined,
    new SyncStore(services.database, options.clock),
  );
  const batch = options.batch ?? 50;
  for (let start = 0; start < options.count; start += batch) {
    const size = Math.min(batch, options.count - start);
    await Promise.all(
      Array.from({ length: size }, (_, offset) =>
        cases.confirm({ caseId: null, callId: null, fields: caseFieldsSchema.parse(variedCaseFields(start + offset, options.random)) }),
      ),
    );
    options.onProgress?.(start + size);
  }
  return options.count;
}

/** The console's change-feed cursor and queue, and the platform's last change for the station: equal cursors mean every change is applied. */
async function caughtUp(app: ConsoleApp, platform: PlatformDatabase, stationCode: string, status: SyncStatus): Promise<boolean> {
  if (status.queueLength > 0 || status.failedCount > 0) return false;
  const [latest] = await platform.query<{ cursor: string | null }>('SELECT max(cursor)::text AS cursor FROM case_changes WHERE station_code = $1', [stationCode]);
  const stored = await app.services().database.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [syncSettingKeys.changesCursor]);
  return (latest?.cursor ?? null) === (stored?.value ?? null);
}

export interface SettleOptions {
  clock: { advance(milliseconds: number): void };
  platform: PlatformDatabase;
  stationCode: string;
  /** Gives up (and says so) after this many passes: the bound is a count, never a time. */
  maxPasses: number;
  /** The manual clock moves this much before each pass: past any backoff and Retry-After of the test's settings. */
  stepMs?: number;
  /** Called after every pass (the soak makes status changes on the platform here). */
  afterPass?: (pass: number, status: SyncStatus) => Promise<void>;
  /** Settled also needs this (a test whose scripted faults must all have been met). */
  also?: () => boolean;
}

/**
 * Runs `syncNow()` passes until the queue is empty, nothing failed and every change on the
 * platform is applied; returns the number of passes. Throws when `maxPasses` was not enough.
 */
export async function syncUntilSettled(app: ConsoleApp, options: SettleOptions): Promise<number> {
  const sync = app.services().sync;
  for (let pass = 1; pass <= options.maxPasses; pass += 1) {
    options.clock.advance(options.stepMs ?? 2_000);
    const status = await sync.syncNow();
    await options.afterPass?.(pass, status);
    if ((options.also?.() ?? true) && (await caughtUp(app, options.platform, options.stationCode, await sync.getStatus()))) return pass;
  }
  const status = await sync.getStatus();
  throw new Error(`The sync did not settle in ${options.maxPasses} passes: ${JSON.stringify(status)}`);
}

export interface DeliveryReport {
  /** Cases confirmed on the console. */
  confirmed: number;
  /** The station's cases on the platform. */
  onPlatform: number;
  /** Confirmed on the console, absent from the platform. */
  lost: number;
  /** Platform records beyond one per confirmed case: a second record of one code, or one the console does not hold. */
  duplicated: number;
  /** Cases whose stored body differs from what the console confirmed (submittedAt aside). */
  contentDiffers: string[];
  /** Cases whose platform number on the console is not the platform's. */
  numberDiffers: string[];
  /** Cases whose outbox entry is not `sent`. */
  notSent: string[];
  /** Cases whose status, department, reply or verdict on the platform is not (yet) what the console shows. */
  statusesBehind: string[];
}

interface ConsoleSide {
  id: string;
  code: string;
  payload: string | null;
  outbox_state: string | null;
  platform_number: string | null;
  status: string | null;
  department: string | null;
  reply: string | null;
  follow_up_verdict: string | null;
}

interface PlatformSide {
  case_id: string;
  code: string;
  platform_number: string;
  body: Record<string, unknown>;
  status: string;
  department: string | null;
  reply: string | null;
  follow_up_verdict: string | null;
}

/** Compares the console's confirmed cases with the platform's records of the station. */
export async function checkDelivery(app: ConsoleApp, platform: PlatformDatabase, stationCode: string): Promise<DeliveryReport> {
  const consoleRows = await app.services().database.all<ConsoleSide>(
    `SELECT cases.id AS id, cases.code AS code, outbox.payload AS payload, outbox.state AS outbox_state, outbox.platform_number AS platform_number,
       platform_status.status AS status, platform_status.department AS department, platform_status.reply AS reply,
       platform_status.follow_up_verdict AS follow_up_verdict
     FROM cases LEFT JOIN outbox ON outbox.case_id = cases.id LEFT JOIN platform_status ON platform_status.case_id = cases.id
     WHERE cases.state = 'confirmed'`,
  );
  const platformRows = await platform.query<PlatformSide>(
    'SELECT case_id, code, platform_number, body, status, department, reply, follow_up_verdict FROM cases WHERE station_code = $1',
    [stationCode],
  );
  const onPlatform = new Map(platformRows.map((row) => [row.case_id, row]));
  const consoleIds = new Set(consoleRows.map((row) => row.id));
  const codes = new Map<string, number>();
  for (const row of platformRows) codes.set(row.code, (codes.get(row.code) ?? 0) + 1);

  const report: DeliveryReport = {
    confirmed: consoleRows.length,
    onPlatform: platformRows.length,
    lost: 0,
    duplicated: platformRows.filter((row) => !consoleIds.has(row.case_id)).length + [...codes.values()].reduce((sum, count) => sum + count - 1, 0),
    contentDiffers: [],
    numberDiffers: [],
    notSent: [],
    statusesBehind: [],
  };
  for (const row of consoleRows) {
    if (row.outbox_state !== 'sent') report.notSent.push(row.id);
    const stored = onPlatform.get(row.id);
    if (!stored) {
      report.lost += 1;
      continue;
    }
    const { submittedAt: _sentAt, ...storedContent } = stored.body;
    if (row.payload === null || !isDeepStrictEqual(storedContent, JSON.parse(row.payload))) report.contentDiffers.push(row.id);
    if (row.platform_number !== stored.platform_number) report.numberDiffers.push(row.id);
    const sameStatus =
      row.status === stored.status && row.department === stored.department && row.reply === stored.reply && row.follow_up_verdict === stored.follow_up_verdict;
    if (!sameStatus) report.statusesBehind.push(row.id);
  }
  return report;
}

const nextStatus = { received: 'dispatched', dispatched: 'handled', handled: 'closed' } as const;

/**
 * Moves `count` random cases of the station one step along on the platform, through the dispatcher
 * API (straight to the platform, not through any proxy); returns how many changes were made.
 */
export async function advanceRandomCases(platform: TestPlatform, stationCode: string, count: number, random: () => number): Promise<number> {
  const open = await platform.database.query<{ case_id: string; status: keyof typeof nextStatus }>(
    "SELECT case_id, status FROM cases WHERE station_code = $1 AND status <> 'closed' ORDER BY case_id",
    [stationCode],
  );
  let made = 0;
  for (let step = 0; step < count && open.length > 0; step += 1) {
    const index = Math.floor(random() * open.length);
    const picked = open[index];
    if (!picked) break;
    const status = nextStatus[picked.status];
    if (status === 'closed') open.splice(index, 1);
    else open[index] = { case_id: picked.case_id, status };
    const details =
      status === 'dispatched'
        ? { department: `第${1 + Math.floor(random() * 20)}街道办事处` }
        : status === 'handled'
          ? { reply: `已处理（回复${Math.floor(random() * 1000)}）` }
          : { followUpVerdict: (['satisfied', 'unsatisfied', 'unreachable'] as const)[Math.floor(random() * 3)] ?? 'satisfied' };
    await platform.setStatus(picked.case_id, { status, ...details });
    made += 1;
  }
  return made;
}

/**
 * A fetch that times every PUT answered with 2xx, to its answer's headers (the body, a few hundred
 * bytes, comes with them): the submit latency as the console sees it, without touching the answer.
 */
export class TimedFetch {
  readonly putLatenciesMs: number[] = [];
  /** performance.now() at the start of the first PUT and at the answer to the last: the span of the deliveries. */
  firstPutAt: number | null = null;
  lastPutAt: number | null = null;

  /** `inner`: the transport to time (the console's own by default). */
  constructor(private readonly inner: typeof fetch = nodeHttpFetch) {}

  readonly fetch: typeof fetch = async (input, init) => {
    if (init?.method !== 'PUT') return this.inner(input, init);
    const startedAt = performance.now();
    this.firstPutAt ??= startedAt;
    const response = await this.inner(input, init);
    const answeredAt = performance.now();
    this.lastPutAt = answeredAt;
    if (response.ok) this.putLatenciesMs.push(answeredAt - startedAt);
    return response;
  };

  reset(): void {
    this.putLatenciesMs.length = 0;
    this.firstPutAt = null;
    this.lastPutAt = null;
  }
}

/** The p-th percentile (0..100) of `values`, nearest rank; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function round(value: number | null, digits = 1): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}
