import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../../src-main/core/storage/database';
import { latestSchemaVersion, migrations } from '../../../../src-main/core/storage/migrations';
import { migrate } from '../../../../src-main/core/storage/open-storage';
import { makeTempDir, removeTempDir } from '../../../support/temp-console';

let dir: string;
let database: Database;

beforeEach(async () => {
  dir = await makeTempDir();
  database = await Database.open(join(dir, 'test.sqlite'));
  await database.exec('PRAGMA foreign_keys = ON');
});
afterEach(async () => {
  await database.close();
  await removeTempDir(dir);
});

async function tableNames(): Promise<string[]> {
  const rows = await database.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type IN ('table') ORDER BY name");
  return rows.map((row) => row.name);
}

async function queryPlan(sql: string, parameters: (string | number)[] = []): Promise<string> {
  const rows = await database.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, parameters);
  return rows.map((row) => row.detail).join('\n');
}

describe('migration 1 (initial schema)', () => {
  it('applies to an empty database and records schema version 1', async () => {
    expect(await migrate(database, migrations.slice(0, 1))).toBe(1);
    expect(await tableNames()).toEqual(expect.arrayContaining(['calls', 'transcript_segments', 'cases', 'case_code_counters', 'cases_search']));
    const version = await database.get<{ user_version: number }>('PRAGMA user_version');
    expect(version?.user_version).toBe(1);
  });

  it('enforces the domain rules in the schema: known speakers, one case per call, unique codes', async () => {
    await migrate(database, migrations.slice(0, 1));
    await database.transaction(async (sql) => {
      await sql.run("INSERT INTO calls (id, station_code, operator_name, started_at) VALUES ('c1', 'S', 'o', '2026-01-01T00:00:00Z')");
    });
    await expect(
      database.transaction((sql) =>
        sql.run("INSERT INTO transcript_segments VALUES ('s1', 'c1', 1, 'robot', 0, 10, 'x', 'typed', NULL, 'now')"),
      ),
    ).rejects.toThrow(/CHECK constraint/);
    await expect(
      database.transaction((sql) => sql.run("INSERT INTO transcript_segments VALUES ('s2', 'missing', 1, 'caller', 0, 10, 'x', 'typed', NULL, 'now')")),
    ).rejects.toThrow(/FOREIGN KEY/);
    const insertCase = (id: string, code: string) =>
      database.transaction((sql) =>
        sql.run("INSERT INTO cases (id, code, call_id, state, station_code, operator_name, created_at, updated_at) VALUES (?, ?, 'c1', 'draft', 'S', 'o', 'now', 'now')", [id, code]),
      );
    await insertCase('k1', 'S-1');
    await expect(insertCase('k2', 'S-2')).rejects.toThrow(/UNIQUE constraint failed: cases.call_id/);
  });

  it('serves the case list and the transcript from indexes, not table scans', async () => {
    await migrate(database, migrations.slice(0, 1));
    expect(await queryPlan('SELECT * FROM cases ORDER BY updated_at DESC LIMIT 50')).toMatch(/cases_by_updated_at/);
    expect(await queryPlan("SELECT * FROM cases WHERE state = 'draft' ORDER BY updated_at DESC LIMIT 50")).toMatch(/cases_by_state_updated_at/);
    expect(await queryPlan("SELECT * FROM transcript_segments WHERE call_id = 'x' ORDER BY sequence")).toMatch(/USING INDEX/);
    expect(await queryPlan("SELECT * FROM cases WHERE call_id = 'x'")).toMatch(/USING INDEX/);
    expect(await queryPlan("SELECT * FROM cases_search WHERE cases_search MATCH '\"138\"'")).toMatch(/VIRTUAL TABLE INDEX/);
  });
});

describe('migration 2 (knowledge base and past cases)', () => {
  it('applies on top of version 1 and keeps existing cases', async () => {
    await migrate(database, migrations.slice(0, 1));
    await database.transaction((sql) =>
      sql.run("INSERT INTO cases (id, code, state, station_code, operator_name, created_at, updated_at) VALUES ('k1', 'S-1', 'draft', 'S', 'o', 'now', 'now')"),
    );
    expect(await migrate(database, migrations.slice(0, 2))).toBe(2);
    expect(await tableNames()).toEqual(expect.arrayContaining(['kb_articles', 'kb_search', 'past_cases', 'past_cases_search']));
    expect(await database.get('SELECT code FROM cases')).toEqual({ code: 'S-1' });
  });

  it('ranks past cases from the full-text index and fetches them by rowid', async () => {
    await migrate(database, migrations.slice(0, 2));
    expect(await queryPlan("SELECT rowid, bm25(past_cases_search) AS score FROM past_cases_search WHERE past_cases_search MATCH '\"电梯\"' ORDER BY score LIMIT 50")).toMatch(
      /VIRTUAL TABLE INDEX/,
    );
    expect(await queryPlan('SELECT * FROM past_cases WHERE rowid IN (1, 2, 3)')).toMatch(/USING INTEGER PRIMARY KEY/);
    expect(await queryPlan("SELECT rowid FROM past_cases WHERE id = 'x'")).toMatch(/USING (COVERING )?INDEX/);
    expect(await queryPlan("SELECT rowid FROM kb_articles WHERE id = 'x'")).toMatch(/USING (COVERING )?INDEX/);
  });
});

describe('migration 3 (case answer and citations)', () => {
  it('adds the answer columns to existing cases with empty defaults', async () => {
    await migrate(database, migrations.slice(0, 2));
    await database.transaction((sql) =>
      sql.run("INSERT INTO cases (id, code, state, station_code, operator_name, created_at, updated_at) VALUES ('k1', 'S-1', 'draft', 'S', 'o', 'now', 'now')"),
    );
    expect(await migrate(database, migrations.slice(0, 3))).toBe(3);
    expect(await database.get('SELECT answer, cited_articles FROM cases')).toEqual({ answer: '', cited_articles: '[]' });
  });
});

describe('migration 4 (recordings and settings)', () => {
  it('adds recordings of existing calls, found by call, and a settings table', async () => {
    await migrate(database, migrations.slice(0, 3));
    await database.transaction((sql) =>
      sql.run("INSERT INTO calls (id, station_code, operator_name, started_at) VALUES ('c1', 'S', 'o', '2026-01-01T00:00:00Z')"),
    );
    expect(await migrate(database, migrations.slice(0, 4))).toBe(4);
    await database.transaction(async (sql) => {
      await sql.run(
        "INSERT INTO recordings (id, call_id, speaker, path, sample_rate, offset_ms, created_at) VALUES ('r1', 'c1', 'caller', 'recordings/c1/caller.wav', 16000, 120, 'now')",
      );
      await sql.run("INSERT INTO settings (key, value) VALUES ('speech.activeModel', 'whisper-base')");
    });
    expect(await queryPlan("SELECT * FROM recordings WHERE call_id = 'c1'")).toMatch(/USING INDEX recordings_by_call/);
    await expect(
      database.transaction((sql) =>
        sql.run("INSERT INTO recordings (id, call_id, speaker, path, sample_rate, offset_ms, created_at) VALUES ('r2', 'no-call', 'caller', 'x.wav', 16000, 0, 'now')"),
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('migration 5 (category model registry and suggestion log)', () => {
  it('keeps existing calls and cases, finds a call proposals by index, and ties outcomes to real cases', async () => {
    await migrate(database, migrations.slice(0, 4));
    await database.transaction(async (sql) => {
      await sql.run("INSERT INTO calls (id, station_code, operator_name, started_at) VALUES ('c1', 'S', 'o', '2026-01-01T00:00:00Z')");
      await sql.run("INSERT INTO cases (id, code, call_id, state, station_code, operator_name, created_at, updated_at) VALUES ('k1', 'S-1', 'c1', 'draft', 'S', 'o', 'now', 'now')");
    });
    expect(await migrate(database, migrations.slice(0, 5))).toBe(5);
    await database.transaction(async (sql) => {
      await sql.run(
        "INSERT INTO draft_proposals (call_id, field, value, confidence, source, model_version, segment_count, proposed_at) VALUES ('c1', 'urgency', '\"极急\"', 0.9, 'rule:urgency', NULL, 3, 'now')",
      );
      await sql.run(
        "INSERT INTO draft_outcomes (case_id, field, proposed_value, final_value, review_state, accepted, model_version, source, recorded_at) VALUES ('k1', 'urgency', '\"极急\"', '\"极急\"', 'confirmed', 1, NULL, 'rule:urgency', 'now')",
      );
    });
    expect(await queryPlan("SELECT * FROM draft_proposals WHERE call_id = 'c1' AND field = 'urgency' ORDER BY id DESC LIMIT 1")).toMatch(/USING INDEX draft_proposals_by_call/);
    await expect(
      database.transaction((sql) =>
        sql.run("INSERT INTO draft_outcomes (case_id, field, proposed_value, final_value, review_state, accepted, source, recorded_at) VALUES ('nope', 'urgency', '1', '1', 'edited', 0, 'x', 'now')"),
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await database.get('SELECT code FROM cases')).toEqual({ code: 'S-1' });
  });
});

describe('migration 6 (outbox and platform status)', () => {
  async function withConfirmedCase(): Promise<void> {
    await migrate(database, migrations.slice(0, 5));
    await database.transaction(async (sql) => {
      await sql.run(
        "INSERT INTO cases (id, code, state, station_code, operator_name, created_at, updated_at, confirmed_at) VALUES ('k1', 'S-1', 'confirmed', 'S', 'o', 'now', 'now', 'now')",
      );
      await sql.run("INSERT INTO settings (key, value) VALUES ('speech.activeModel', 'whisper-base')");
    });
    expect(await migrate(database, migrations.slice(0, 6))).toBe(6);
  }

  const insertEntry = (caseId: string, extra = '') =>
    database.transaction((sql) =>
      sql.run(`INSERT INTO outbox (case_id, payload, next_attempt_at, created_at${extra ? ', state' : ''}) VALUES (?, '{"code":"S-1"}', '2026-01-01T00:00:00.000Z', 'now'${extra ? `, '${extra}'` : ''})`, [
        caseId,
      ]),
    );

  it('keeps existing cases and settings, and queues entries of real cases only, waiting by default', async () => {
    await withConfirmedCase();
    expect(await tableNames()).toEqual(expect.arrayContaining(['outbox', 'platform_status']));
    expect(await database.get('SELECT code FROM cases')).toEqual({ code: 'S-1' });
    expect(await database.get("SELECT value FROM settings WHERE key = 'speech.activeModel'")).toEqual({ value: 'whisper-base' });
    await insertEntry('k1');
    expect(await database.get('SELECT state, attempts FROM outbox')).toEqual({ state: 'waiting', attempts: 0 });
    await expect(insertEntry('no-such-case')).rejects.toThrow(/FOREIGN KEY/);
    // One entry per case.
    await expect(insertEntry('k1')).rejects.toThrow(/UNIQUE constraint failed: outbox.case_id/);
  });

  it('holds the outbox to its rules: known states, JSON payloads, a number for every sent entry, a reason for every failure', async () => {
    await withConfirmedCase();
    await expect(insertEntry('k1', 'sending')).rejects.toThrow(/CHECK constraint/);
    await expect(
      database.transaction((sql) => sql.run("INSERT INTO outbox (case_id, payload, next_attempt_at, created_at) VALUES ('k1', 'not json', 'now', 'now')")),
    ).rejects.toThrow(/CHECK constraint/);
    await insertEntry('k1');
    await expect(database.transaction((sql) => sql.run("UPDATE outbox SET state = 'sent' WHERE case_id = 'k1'"))).rejects.toThrow(/CHECK constraint/);
    await expect(database.transaction((sql) => sql.run("UPDATE outbox SET state = 'failed' WHERE case_id = 'k1'"))).rejects.toThrow(/CHECK constraint/);
    await database.transaction((sql) => sql.run("UPDATE outbox SET state = 'sent', platform_number = 'P-1', sent_at = 'now' WHERE case_id = 'k1'"));
    await expect(
      database.transaction((sql) =>
        sql.run("INSERT INTO platform_status (case_id, platform_number, status, changed_at, cursor) VALUES ('k1', 'P-1', 'lost', 'now', '1')"),
      ),
    ).rejects.toThrow(/CHECK constraint/);
    await database.transaction((sql) =>
      sql.run("INSERT INTO platform_status (case_id, platform_number, status, follow_up_verdict, changed_at, cursor) VALUES ('k1', 'P-1', 'closed', 'satisfied', 'now', '1')"),
    );
    await expect(
      database.transaction((sql) =>
        sql.run("INSERT INTO platform_status (case_id, platform_number, status, changed_at, cursor) VALUES ('nope', 'P-2', 'received', 'now', '2')"),
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('finds due entries, oldest first, and counts the queue from the index', async () => {
    await withConfirmedCase();
    const due = await queryPlan("SELECT * FROM outbox WHERE state = 'waiting' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT 50", ['2026-01-01']);
    expect(due).toMatch(/USING INDEX outbox_by_state_next_attempt/);
    expect(due).not.toMatch(/TEMP B-TREE/);
    expect(await queryPlan("SELECT min(next_attempt_at) FROM outbox WHERE state = 'waiting'")).toMatch(/USING COVERING INDEX outbox_by_state_next_attempt/);
    expect(await queryPlan('SELECT state, count(*) FROM outbox GROUP BY state')).toMatch(/USING COVERING INDEX outbox_by_state_next_attempt/);
    expect(await queryPlan("SELECT * FROM platform_status WHERE case_id = 'k1'")).toMatch(/USING PRIMARY KEY/);
  });
});

describe('the migration runner', () => {
  it('is a no-op on an up-to-date database', async () => {
    await migrate(database);
    expect(await migrate(database)).toBe(latestSchemaVersion);
  });

  it('refuses a database written by a newer version and leaves it untouched', async () => {
    await database.exec(`PRAGMA user_version = ${latestSchemaVersion + 1}`);
    await expect(migrate(database)).rejects.toMatchObject({ code: 'STORAGE_TOO_NEW' });
    expect(await tableNames()).toEqual([]);
  });

  it('rolls every pending migration back together when one fails', async () => {
    const broken = [...migrations, { version: latestSchemaVersion + 1, name: 'broken', sql: 'CREATE TABLE extra (id INTEGER); THIS IS NOT SQL;' }];
    await expect(migrate(database, broken)).rejects.toThrow();
    expect(await tableNames()).toEqual([]);
    const version = await database.get<{ user_version: number }>('PRAGMA user_version');
    expect(version?.user_version).toBe(0);
  });

  it('numbers migrations 1, 2, 3… without gaps', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });
});
