import type { Case, CaseSyncChange, CaseSyncStateName, FollowUpVerdict, PlatformCaseStatusName, SyncError, SyncErrorCode } from '../../contract';
import { toCase, type CaseRow, type OutboxSink } from '../cases/case-service';
import type { Clock } from '../clock';
import type { Database, SqlExecutor, SqlValue } from '../storage/database';
import { buildCasePayload } from './case-payload';
import type { PlatformChange } from './platform-client';

export type OutboxState = 'waiting' | 'sent' | 'failed';

export interface OutboxEntry {
  caseId: string;
  /** The body to PUT, less submittedAt. */
  payload: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastError: SyncError | null;
  platformNumber: string | null;
  sentAt: string | null;
  createdAt: string;
}

interface OutboxRow {
  case_id: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  platform_number: string | null;
  sent_at: string | null;
  created_at: string;
}

function syncError(code: string | null, message: string | null): SyncError | null {
  return code ? { code: code as SyncErrorCode, message: message ?? '' } : null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    caseId: row.case_id,
    payload: row.payload,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: syncError(row.last_error_code, row.last_error_message),
    platformNumber: row.platform_number,
    sentAt: row.sent_at,
    createdAt: row.created_at,
  };
}

/** The platform took a case: its number, and when the answer came. */
export interface Delivery {
  caseId: string;
  platformNumber: string;
  at: Date;
}

/** The settings keys of the sync (in the `settings` table). */
export const syncSettingKeys = {
  platformUrl: 'sync.platformUrl',
  stationToken: 'sync.stationToken',
  changesCursor: 'sync.changesCursor',
  lastContactAt: 'sync.lastContactAt',
  clockSkewSeconds: 'sync.clockSkewSeconds',
} as const;

export interface SyncSettingValues {
  platformUrl: string | null;
  stationToken: string | null;
  changesCursor: string | null;
  lastContactAt: string | null;
  clockSkewSeconds: number | null;
}

type SettingName = keyof typeof syncSettingKeys;

interface CaseSyncRow {
  id: string;
  case_state: string;
  outbox_state: OutboxState | null;
  attempts: number | null;
  next_attempt_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  outbox_platform_number: string | null;
  status_platform_number: string | null;
  status: PlatformCaseStatusName | null;
  department: string | null;
  reply: string | null;
  follow_up_verdict: FollowUpVerdict | null;
  changed_at: string | null;
}

const caseSyncSelect = `
SELECT cases.id AS id, cases.state AS case_state,
  outbox.state AS outbox_state, outbox.attempts AS attempts, outbox.next_attempt_at AS next_attempt_at,
  outbox.last_error_code AS last_error_code, outbox.last_error_message AS last_error_message,
  outbox.platform_number AS outbox_platform_number,
  platform_status.platform_number AS status_platform_number, platform_status.status AS status,
  platform_status.department AS department, platform_status.reply AS reply,
  platform_status.follow_up_verdict AS follow_up_verdict, platform_status.changed_at AS changed_at
FROM cases
LEFT JOIN outbox ON outbox.case_id = cases.id
LEFT JOIN platform_status ON platform_status.case_id = cases.id`;

function toCaseSync(row: CaseSyncRow): CaseSyncChange {
  // A case confirmed is always queued (in its confirming transaction, or by the start-up backfill).
  const state: CaseSyncStateName = row.outbox_state ?? 'not-confirmed';
  return {
    caseId: row.id,
    state,
    attempts: row.attempts ?? 0,
    nextAttemptAt: row.outbox_state === 'waiting' ? row.next_attempt_at : null,
    error: row.outbox_state === 'sent' ? null : syncError(row.last_error_code, row.last_error_message),
    platformNumber: row.outbox_platform_number ?? row.status_platform_number,
    platformStatus:
      row.status && row.changed_at
        ? { status: row.status, department: row.department, reply: row.reply, followUpVerdict: row.follow_up_verdict, changedAt: row.changed_at }
        : null,
  };
}

/**
 * The outbox, the platform statuses and the sync settings in SQLite: everything the sync knows lives
 * here, so that a restart (or a crash) loses nothing. Also the `OutboxSink` of case confirmation.
 */
export class SyncStore implements OutboxSink {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /** In the confirming transaction: the case's body is built now and never again. */
  async enqueue(executor: SqlExecutor, confirmed: Case): Promise<void> {
    const now = this.clock.now().toISOString();
    await executor.run(
      `INSERT INTO outbox (case_id, payload, state, attempts, next_attempt_at, created_at) VALUES (?, ?, 'waiting', 0, ?, ?)
       ON CONFLICT (case_id) DO NOTHING`,
      [confirmed.id, buildCasePayload(confirmed), now, now],
    );
  }

  /** Queues confirmed cases that have no outbox entry (confirmed before this version); returns how many. */
  async enqueueMissing(): Promise<number> {
    return this.database.transaction(async (executor) => {
      const rows = await executor.all<CaseRow>(
        `SELECT cases.rowid, cases.* FROM cases LEFT JOIN outbox ON outbox.case_id = cases.id
         WHERE cases.state = 'confirmed' AND outbox.case_id IS NULL ORDER BY cases.confirmed_at`,
      );
      for (const row of rows) await this.enqueue(executor, toCase(row));
      return rows.length;
    });
  }

  /** Waiting entries due at `now`, the longest-waiting first. */
  async dueEntries(now: Date, limit: number, excluding: readonly string[] = []): Promise<OutboxEntry[]> {
    const skip = excluding.length > 0 ? `AND case_id NOT IN (${excluding.map(() => '?').join(', ')})` : '';
    const rows = await this.database.all<OutboxRow>(
      `SELECT * FROM outbox WHERE state = 'waiting' AND next_attempt_at <= ? ${skip} ORDER BY next_attempt_at, rowid LIMIT ?`,
      [now.toISOString(), ...excluding, limit],
    );
    return rows.map(toEntry);
  }

  /** When the earliest waiting entry is due, or null when nothing waits. */
  async nextDueAt(): Promise<string | null> {
    const row = await this.database.get<{ due: string | null }>("SELECT min(next_attempt_at) AS due FROM outbox WHERE state = 'waiting'");
    return row?.due ?? null;
  }

  async entry(caseId: string): Promise<OutboxEntry | null> {
    const row = await this.database.get<OutboxRow>('SELECT * FROM outbox WHERE case_id = ?', [caseId]);
    return row ? toEntry(row) : null;
  }

  async counts(): Promise<{ waiting: number; failed: number; sent: number }> {
    const rows = await this.database.all<{ state: OutboxState; count: number }>('SELECT state, count(*) AS count FROM outbox GROUP BY state');
    const counts = { waiting: 0, failed: 0, sent: 0 };
    for (const row of rows) counts[row.state] = row.count;
    return counts;
  }

  /** Delivered: only a waiting entry becomes sent (a conflict or a refusal is never overwritten). */
  async markSent(caseId: string, platformNumber: string, at: Date): Promise<boolean> {
    return (await this.markSentMany([{ caseId, platformNumber, at }])).length > 0;
  }

  /**
   * Several deliveries in one statement and one transaction (one commit per case held one console
   * to a few hundred cases a second). Only waiting entries become sent; returns their ids.
   */
  async markSentMany(deliveries: readonly Delivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const marked: string[] = [];
    // 3 parameters a delivery; SQLite allows 32,766 per statement.
    for (let start = 0; start < deliveries.length; start += 2_000) {
      const group = deliveries.slice(start, start + 2_000);
      const rows = await this.database.transaction((executor) =>
        executor.all<{ case_id: string }>(
          `WITH delivered (case_id, platform_number, at) AS (VALUES ${group.map(() => '(?, ?, ?)').join(', ')})
           UPDATE outbox SET state = 'sent', platform_number = delivered.platform_number, sent_at = delivered.at, attempts = attempts + 1,
             last_attempt_at = delivered.at, last_error_code = NULL, last_error_message = NULL
           FROM delivered
           WHERE outbox.case_id = delivered.case_id AND outbox.state = 'waiting'
           RETURNING outbox.case_id AS case_id`,
          group.flatMap((delivery) => [delivery.caseId, delivery.platformNumber, delivery.at.toISOString()]),
        ),
      );
      marked.push(...rows.map((row) => row.case_id));
    }
    return marked;
  }

  /** A failed attempt that will be retried at `nextAttemptAt`. */
  async markRetry(caseId: string, error: SyncError, nextAttemptAt: Date, at: Date): Promise<boolean> {
    const result = await this.database.transaction((executor) =>
      executor.run(
        `UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, last_error_code = ?, last_error_message = ?
         WHERE case_id = ? AND state = 'waiting'`,
        [at.toISOString(), nextAttemptAt.toISOString(), error.code, error.message, caseId],
      ),
    );
    return result.changes > 0;
  }

  /** Refused: not retried until the operator asks (after fixing the settings, or the platform's side). */
  async markFailed(caseId: string, error: SyncError, platformNumber: string | null, at: Date): Promise<boolean> {
    const result = await this.database.transaction((executor) =>
      executor.run(
        `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_attempt_at = ?, last_error_code = ?, last_error_message = ?,
           platform_number = coalesce(?, platform_number)
         WHERE case_id = ? AND state = 'waiting'`,
        [at.toISOString(), error.code, error.message, platformNumber, caseId],
      ),
    );
    return result.changes > 0;
  }

  /**
   * Puts failed entries back in the queue, due now (all of them, or those that failed with one of
   * `codes`); the attempt count starts again. Returns their case ids.
   */
  async requeueFailed(now: Date, codes?: readonly SyncErrorCode[]): Promise<string[]> {
    if (codes && codes.length === 0) return [];
    const filter = codes ? `AND last_error_code IN (${codes.map(() => '?').join(', ')})` : '';
    return this.database.transaction(async (executor) => {
      const rows = await executor.all<{ case_id: string }>(
        `UPDATE outbox SET state = 'waiting', attempts = 0, next_attempt_at = ? WHERE state = 'failed' ${filter} RETURNING case_id`,
        [now.toISOString(), ...(codes ?? [])],
      );
      return rows.map((row) => row.case_id);
    });
  }

  /** Every waiting entry becomes due now (the settings changed: the old backoff no longer means anything). */
  async makeWaitingDue(now: Date): Promise<number> {
    const result = await this.database.transaction((executor) =>
      executor.run("UPDATE outbox SET next_attempt_at = ? WHERE state = 'waiting' AND next_attempt_at > ?", [now.toISOString(), now.toISOString()]),
    );
    return result.changes;
  }

  async caseStates(caseIds: readonly string[]): Promise<CaseSyncChange[]> {
    if (caseIds.length === 0) return [];
    const rows = await this.database.all<CaseSyncRow>(`${caseSyncSelect} WHERE cases.id IN (${caseIds.map(() => '?').join(', ')})`, [...caseIds]);
    return rows.map(toCaseSync);
  }

  async caseState(caseId: string): Promise<CaseSyncChange | null> {
    return (await this.caseStates([caseId]))[0] ?? null;
  }

  /**
   * Applies one page of the platform's change feed and moves the cursor past it, in one transaction.
   * Each change is the case's whole current state: applying it again changes nothing, and an older
   * change never overwrites a newer one. A change for a case this console does not hold is skipped.
   * A waiting entry the platform already holds is marked sent (its answer was lost). Returns the ids
   * of the cases whose sync state changed.
   */
  async applyChanges(changes: readonly PlatformChange[], cursor: string | null, at: Date): Promise<{ changed: string[]; unknown: number }> {
    return this.database.transaction(async (executor) => {
      const changed = new Set<string>();
      let unknown = 0;
      for (const change of changes) {
        const written = await executor.run(
          `INSERT INTO platform_status (case_id, platform_number, status, department, reply, follow_up_verdict, changed_at, cursor)
           SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?)
           ON CONFLICT (case_id) DO UPDATE SET
             platform_number = excluded.platform_number, status = excluded.status, department = excluded.department,
             reply = excluded.reply, follow_up_verdict = excluded.follow_up_verdict, changed_at = excluded.changed_at, cursor = excluded.cursor
           WHERE excluded.cursor IS NOT platform_status.cursor
             AND coalesce(julianday(excluded.changed_at) >= julianday(platform_status.changed_at), 1)`,
          [change.caseId, change.platformNumber, change.status, change.department, change.reply, change.followUpVerdict, change.changedAt, change.cursor, change.caseId],
        );
        if (written.changes > 0) changed.add(change.caseId);
        else if (!(await executor.get('SELECT 1 FROM cases WHERE id = ?', [change.caseId]))) {
          unknown += 1;
          continue;
        }
        const delivered = await executor.run(
          `UPDATE outbox SET state = 'sent', platform_number = ?, sent_at = ?, last_error_code = NULL, last_error_message = NULL
           WHERE case_id = ? AND state = 'waiting'`,
          [change.platformNumber, at.toISOString(), change.caseId],
        );
        if (delivered.changes > 0) changed.add(change.caseId);
      }
      if (cursor !== null) await this.writeSetting(executor, 'changesCursor', cursor);
      return { changed: [...changed], unknown };
    });
  }

  async readSettings(): Promise<SyncSettingValues> {
    const keys = Object.values(syncSettingKeys);
    const rows = await this.database.all<{ key: string; value: string }>(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => '?').join(', ')})`, keys);
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    const skew = byKey.get(syncSettingKeys.clockSkewSeconds);
    return {
      platformUrl: byKey.get(syncSettingKeys.platformUrl) ?? null,
      stationToken: byKey.get(syncSettingKeys.stationToken) ?? null,
      changesCursor: byKey.get(syncSettingKeys.changesCursor) ?? null,
      lastContactAt: byKey.get(syncSettingKeys.lastContactAt) ?? null,
      clockSkewSeconds: skew !== undefined && Number.isFinite(Number(skew)) ? Number(skew) : null,
    };
  }

  async writeSettings(values: Partial<SyncSettingValues>): Promise<void> {
    await this.database.transaction(async (executor) => {
      for (const [name, value] of Object.entries(values) as [SettingName, SyncSettingValues[SettingName]][]) {
        await this.writeSetting(executor, name, value === null ? null : String(value));
      }
    });
  }

  private async writeSetting(executor: SqlExecutor, name: SettingName, value: string | null): Promise<void> {
    const key = syncSettingKeys[name];
    if (value === null) await executor.run('DELETE FROM settings WHERE key = ?', [key]);
    else {
      const parameters: SqlValue[] = [key, value];
      await executor.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', parameters);
    }
  }
}
