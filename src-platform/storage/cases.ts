import { caseStatuses, statusesAllowingVerdict, type CaseChange, type CaseSnapshot, type CaseStatus, type FollowUpVerdict } from '../model';
import { advisoryLocks, type Database, type SqlSession } from './database';

export interface IncomingCase {
  caseId: string;
  stationCode: string;
  code: string;
  /** The submission exactly as received, unknown fields included. */
  body: Record<string, unknown>;
  bodySha256: string;
  confirmedAt: string;
  receivedAt: Date;
}

interface ReceivedCaseRow {
  case_id: string;
  platform_number: string;
  station_code: string;
  code: string;
  body_sha256: string;
  received_at: Date;
  status: CaseStatus;
  department: string | null;
  reply: string | null;
  follow_up_verdict: FollowUpVerdict | null;
}

/** What the station learns about its case: its number, when it was first received, where it stands now. */
export interface ReceivedCase {
  platformNumber: string;
  receivedAt: string;
  status: CaseStatus;
}

export type ReceiveOutcome =
  | { kind: 'created'; received: ReceivedCase }
  | { kind: 'duplicate'; received: ReceivedCase }
  /** Same case id and station, different content: the stored case stands. */
  | { kind: 'content-differs'; platformNumber: string }
  | { kind: 'case-id-of-another-station' }
  /** The station already sent this case code under another case id. */
  | { kind: 'code-already-used'; caseId: string; platformNumber: string };

export type StatusUpdateOutcome =
  | { kind: 'not-found' }
  | { kind: 'backwards'; from: CaseStatus; to: CaseStatus }
  | { kind: 'verdict-too-early'; status: CaseStatus }
  /** `changed` is false when the update matched the current state: no new change is logged. */
  | { kind: 'applied'; change: CaseChange; changed: boolean };

const caseColumns = 'case_id, platform_number, station_code, code, body_sha256, received_at, status, department, reply, follow_up_verdict';

/**
 * What every platform number of the day starts with: `P` + the date in China (UTC+8 all year, no
 * daylight saving) + '-'. The database appends the sequence when it receives the case (migration 2),
 * zero-padded to seven digits and simply longer once past 9,999,999: never truncated, so never reused.
 */
export function platformNumberPrefix(receivedAt: Date): string {
  const chinaDate = new Date(receivedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `P${chinaDate}-`;
}

function snapshotOf(row: ReceivedCaseRow, changedAt: Date): CaseSnapshot {
  return {
    caseId: row.case_id,
    platformNumber: row.platform_number,
    stationCode: row.station_code,
    status: row.status,
    department: row.department,
    reply: row.reply,
    followUpVerdict: row.follow_up_verdict,
    changedAt: changedAt.toISOString(),
  };
}

async function findCase(session: SqlSession, caseId: string, options: { forUpdate?: boolean } = {}): Promise<ReceivedCaseRow | null> {
  const [row] = await session.query<ReceivedCaseRow>(`SELECT ${caseColumns} FROM cases WHERE case_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [caseId]);
  return row ?? null;
}

async function appendChange(session: SqlSession, snapshot: CaseSnapshot): Promise<CaseChange> {
  // Held until commit: see advisoryLocks.changeLog for why cursors must commit in order.
  await session.query(`SELECT pg_advisory_xact_lock(${advisoryLocks.changeLog})`);
  const [row] = await session.query<{ cursor: string }>(
    'INSERT INTO case_changes (case_id, station_code, snapshot, changed_at) VALUES ($1, $2, $3::jsonb, $4::timestamptz) RETURNING cursor',
    [snapshot.caseId, snapshot.stationCode, JSON.stringify(snapshot), snapshot.changedAt],
  );
  if (!row) throw new Error('The change log insert returned no cursor.');
  return { cursor: row.cursor, ...snapshot };
}

interface ReceiveRow {
  outcome: 'created' | 'duplicate' | 'content-differs' | 'case-id-of-another-station' | 'code-already-used';
  number: string;
  first_received_at: Date;
  current_status: CaseStatus;
  stored_case_id: string;
}

/** One statement, one round trip: see migration 2 (platform_receive_case) for the steps and why. */
const receiveCaseStatement =
  'SELECT outcome, number, first_received_at, current_status, stored_case_id FROM platform_receive_case($1::uuid, $2, $3, $4::jsonb, $5, $6::timestamptz, $7::timestamptz, $8, $9::jsonb)';

/**
 * Stores a confirmed case once. A retry of the same content finds the stored case and gets its
 * number back; two requests racing with the same case id meet at the primary key, where the second
 * waits for the first to commit and then finds its row.
 */
export async function receiveCase(database: Database, incoming: IncomingCase): Promise<ReceiveOutcome> {
  const receivedAt = incoming.receivedAt.toISOString();
  const snapshot: Omit<CaseSnapshot, 'platformNumber'> = {
    caseId: incoming.caseId,
    stationCode: incoming.stationCode,
    status: 'received',
    department: null,
    reply: null,
    followUpVerdict: null,
    changedAt: receivedAt,
  };
  const [row] = await database.query<ReceiveRow>(receiveCaseStatement, [
    incoming.caseId,
    incoming.stationCode,
    incoming.code,
    JSON.stringify(incoming.body),
    incoming.bodySha256,
    incoming.confirmedAt,
    receivedAt,
    platformNumberPrefix(incoming.receivedAt),
    JSON.stringify(snapshot),
  ]);
  if (!row) throw new Error(`Case ${incoming.caseId} was neither inserted nor found.`);
  const received: ReceivedCase = { platformNumber: row.number, receivedAt: row.first_received_at.toISOString(), status: row.current_status };
  switch (row.outcome) {
    case 'created':
    case 'duplicate':
      return { kind: row.outcome, received };
    case 'content-differs':
      return { kind: 'content-differs', platformNumber: row.number };
    case 'case-id-of-another-station':
      return { kind: 'case-id-of-another-station' };
    case 'code-already-used':
      return { kind: 'code-already-used', caseId: row.stored_case_id, platformNumber: row.number };
  }
}

export interface StatusUpdateRequest {
  caseId: string;
  status: CaseStatus;
  /** Left out: keep the current value; null: clear it. */
  department?: string | null;
  reply?: string | null;
  followUpVerdict?: FollowUpVerdict | null;
  now: Date;
}

/** Moves a case forward (or keeps its status and changes its department, reply or verdict). */
export function updateCaseStatus(database: Database, update: StatusUpdateRequest): Promise<StatusUpdateOutcome> {
  return database.transaction(async (session) => {
    const current = await findCase(session, update.caseId, { forUpdate: true });
    if (!current) return { kind: 'not-found' };
    if (caseStatuses.indexOf(update.status) < caseStatuses.indexOf(current.status)) {
      return { kind: 'backwards', from: current.status, to: update.status };
    }
    const next: ReceivedCaseRow = {
      ...current,
      status: update.status,
      department: update.department === undefined ? current.department : update.department,
      reply: update.reply === undefined ? current.reply : update.reply,
      follow_up_verdict: update.followUpVerdict === undefined ? current.follow_up_verdict : update.followUpVerdict,
    };
    if (next.follow_up_verdict !== null && !statusesAllowingVerdict.includes(next.status)) {
      return { kind: 'verdict-too-early', status: next.status };
    }
    const unchanged =
      next.status === current.status &&
      next.department === current.department &&
      next.reply === current.reply &&
      next.follow_up_verdict === current.follow_up_verdict;
    if (unchanged) {
      // A repeated update (a retry) logs nothing new: consoles would only apply the same state again.
      const [latest] = await session.query<{ cursor: string; snapshot: CaseSnapshot }>(
        'SELECT cursor, snapshot FROM case_changes WHERE case_id = $1 ORDER BY cursor DESC LIMIT 1',
        [update.caseId],
      );
      if (!latest) throw new Error(`Case ${update.caseId} has no change logged.`);
      return { kind: 'applied', change: { cursor: latest.cursor, ...latest.snapshot }, changed: false };
    }
    await session.query(
      `UPDATE cases SET status = $2, department = $3, reply = $4, follow_up_verdict = $5, updated_at = $6::timestamptz WHERE case_id = $1`,
      [update.caseId, next.status, next.department, next.reply, next.follow_up_verdict, update.now.toISOString()],
    );
    return { kind: 'applied', change: await appendChange(session, snapshotOf(next, update.now)), changed: true };
  });
}

/** The console's polling queries, named so that their plans can be checked (tests): both walk an index in cursor order. */
export const changeLogQueries = {
  allStations: 'SELECT cursor, snapshot FROM case_changes WHERE cursor > $1::bigint ORDER BY cursor LIMIT $2',
  oneStation: 'SELECT cursor, snapshot FROM case_changes WHERE station_code = $3 AND cursor > $1::bigint ORDER BY cursor LIMIT $2',
} as const;

/**
 * The change log after `since`, oldest first. `stationCode` null reads every station's changes
 * (supervisors and dispatchers); otherwise only that station's.
 */
export async function listChanges(database: Database, query: { since: string; limit: number; stationCode: string | null }): Promise<CaseChange[]> {
  const rows =
    query.stationCode === null
      ? await database.query<{ cursor: string; snapshot: CaseSnapshot }>(changeLogQueries.allStations, [query.since, query.limit])
      : await database.query<{ cursor: string; snapshot: CaseSnapshot }>(changeLogQueries.oneStation, [query.since, query.limit, query.stationCode]);
  return rows.map((row) => ({ cursor: row.cursor, ...row.snapshot }));
}
