// The platform's storage on both backends: migrations, their refusal of a newer schema, the plans of
// the polling queries, the change log's ordering lock (PostgreSQL), and the embedded database's
// one-process lock (PGlite).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { changeLogQueries, listChanges, receiveCase } from '../../../src-platform/storage/cases';
import { DataFolderInUseError } from '../../../src-platform/storage/data-folder-lock';
import { advisoryLocks, type Database } from '../../../src-platform/storage/database';
import { migrate, SchemaTooNewError } from '../../../src-platform/storage/migrate';
import { platformMigrations } from '../../../src-platform/storage/migrations';
import { openDatabase, type DatabaseLocation } from '../../../src-platform/storage/open-database';
import { openPgliteDatabase } from '../../../src-platform/storage/pglite-database';
import { openPostgresDatabase } from '../../../src-platform/storage/postgres-database';
import { addStation, findStationByTokenDigest, revokeStation, rotateStationToken } from '../../../src-platform/storage/stations';
import { platformBackends, PlatformTestDatabases } from '../../support/platform-backends';
import { setUpSuite } from '../../support/suite-setup';

const databases = new PlatformTestDatabases();
afterAll(() => databases.dispose());

describe.each(platformBackends)('platform storage on %s', (backend) => {
  let location: DatabaseLocation;
  let database: Database;

  setUpSuite(async () => {
    location = await databases.freshLocation(backend);
    database = await openDatabase(location);
  }, 120_000);
  afterAll(() => database?.close());

  it('applies each migration once: migrating again changes nothing', async () => {
    const latest = platformMigrations.at(-1)?.version;
    expect(await migrate(database)).toBe(latest);
    const applied = await database.query<{ version: number }>('SELECT version FROM platform_schema_migrations ORDER BY version');
    expect(applied.map((row) => row.version)).toEqual(platformMigrations.map((migration) => migration.version));
  });

  it('keeps the cases of a schema-1 database through migration 2, which recognises their resends and goes on numbering', async () => {
    const older = await databases.freshLocation(backend);
    const previous = older.databaseUrl ? await openPostgresDatabase(older.databaseUrl) : await openPgliteDatabase(join(older.dataDir ?? '', 'pglite'));
    try {
      expect(await migrate(previous, platformMigrations.slice(0, 1))).toBe(1);
      // A case received by a schema-1 platform, as it stored one.
      await addStation(previous, { code: 'OLD01', role: 'station', tokenSha256: 'e'.repeat(64) }, new Date());
      const caseId = randomUUID();
      const receivedAt = '2026-11-22T01:00:00.000Z';
      await previous.query(
        `INSERT INTO cases (case_id, platform_number, station_code, code, body, body_sha256, confirmed_at, received_at, status, updated_at)
         VALUES ($1, 'P20261122-' || lpad(nextval('platform_number_sequence')::text, 7, '0'), 'OLD01', 'OLD01-20261122-0001', '{}'::jsonb, $2, $3::timestamptz, $3::timestamptz, 'received', $3::timestamptz)`,
        [caseId, '1'.repeat(64), receivedAt],
      );
      await previous.query(
        `INSERT INTO case_changes (case_id, station_code, snapshot, changed_at)
         SELECT case_id, station_code, jsonb_build_object('caseId', case_id, 'platformNumber', platform_number, 'stationCode', station_code, 'status', status,
           'department', null, 'reply', null, 'followUpVerdict', null, 'changedAt', $2::text), received_at FROM cases WHERE case_id = $1`,
        [caseId, receivedAt],
      );

      expect(await migrate(previous)).toBe(2);
      const incoming = { stationCode: 'OLD01', body: {}, confirmedAt: receivedAt, receivedAt: new Date() };
      const resent = await receiveCase(previous, { ...incoming, caseId, code: 'OLD01-20261122-0001', bodySha256: '1'.repeat(64) });
      expect(resent).toEqual({ kind: 'duplicate', received: { platformNumber: 'P20261122-0000001', receivedAt, status: 'received' } });
      const next = await receiveCase(previous, { ...incoming, caseId: randomUUID(), code: 'OLD01-20261122-0002', bodySha256: '2'.repeat(64) });
      expect(next).toMatchObject({ kind: 'created', received: { platformNumber: expect.stringMatching(/^P\d{8}-0000002$/) } });
      const changes = await listChanges(previous, { since: '0', limit: 10, stationCode: 'OLD01' });
      expect(changes.map((change) => change.platformNumber)).toEqual(['P20261122-0000001', next.kind === 'created' ? next.received.platformNumber : '']);
    } finally {
      await previous.close();
    }
  });

  it('sees a revoked or replaced token from the next look-up on, even one under way during the change', async () => {
    const [first, second] = ['a'.repeat(64), 'b'.repeat(64)];
    await addStation(database, { code: 'ROT01', role: 'station', tokenSha256: first }, new Date());
    expect(await findStationByTokenDigest(database, first)).toMatchObject({ code: 'ROT01', revokedAt: null });
    expect(await findStationByTokenDigest(database, first)).toMatchObject({ code: 'ROT01', revokedAt: null });
    await revokeStation(database, 'ROT01', new Date());
    expect((await findStationByTokenDigest(database, first))?.revokedAt).not.toBeNull();
    expect(await rotateStationToken(database, 'ROT01', second)).toEqual({ wasRevoked: true });
    expect(await findStationByTokenDigest(database, first)).toBeNull();
    expect(await findStationByTokenDigest(database, second)).toMatchObject({ code: 'ROT01', revokedAt: null });
    const during = findStationByTokenDigest(database, second);
    await Promise.all([during, revokeStation(database, 'ROT01', new Date())]);
    expect((await findStationByTokenDigest(database, second))?.revokedAt).not.toBeNull();
    expect(await rotateStationToken(database, 'NOSUCH', second)).toBeNull();
  });

  it('refuses a database written by a newer platform', async () => {
    await database.query("INSERT INTO platform_schema_migrations (version, name) VALUES (999, 'from a newer platform')");
    try {
      await expect(migrate(database)).rejects.toThrow(SchemaTooNewError);
    } finally {
      await database.query('DELETE FROM platform_schema_migrations WHERE version = 999');
    }
  });

  it("reads the change log through indexes in cursor order, never by scanning and sorting", async () => {
    const plans = await database.transaction(async (session) => {
      // On an almost empty table a scan is cheapest; forbidding it shows whether an index can serve the query.
      await session.query('SET LOCAL enable_seqscan = off');
      const explain = async (sql: string, parameters: Array<string | number>) =>
        (await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, parameters)).map((row) => row['QUERY PLAN']).join('\n');
      return {
        oneStation: await explain(changeLogQueries.oneStation, ['0', 100, 'HC01']),
        allStations: await explain(changeLogQueries.allStations, ['0', 100]),
      };
    });
    expect(plans.oneStation).toContain('case_changes_by_station');
    expect(plans.allStations).toContain('case_changes_pkey');
    expect(`${plans.oneStation}\n${plans.allStations}`).not.toMatch(/Sort|Seq Scan/);
  });

  if (backend === 'postgres') {
    it('appends to the change log one transaction at a time, so that cursors become visible in order', async () => {
      await addStation(database, { code: 'HC01', role: 'station', tokenSha256: 'f'.repeat(64) }, new Date());
      // Another instance in the middle of appending a change: it holds the change-log lock until it commits.
      const otherInstance = new pg.Client({ connectionString: location.databaseUrl });
      await otherInstance.connect();
      try {
        await otherInstance.query('BEGIN');
        await otherInstance.query(`SELECT pg_advisory_xact_lock(${advisoryLocks.changeLog})`);
        let settled = false;
        const receiving = receiveCase(database, {
          caseId: randomUUID(),
          stationCode: 'HC01',
          code: 'HC01-20261122-0001',
          body: { summary: '路灯不亮' },
          bodySha256: '0'.repeat(64),
          confirmedAt: new Date().toISOString(),
          receivedAt: new Date(),
        }).finally(() => {
          settled = true;
        });
        const waitingForTheLock = async () =>
          (await otherInstance.query<{ waiting: number }>("SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0]?.waiting === 1;
        await expect.poll(waitingForTheLock, { timeout: 10_000, interval: 20 }).toBe(true);
        expect(settled).toBe(false);
        await otherInstance.query('COMMIT');
        expect((await receiving).kind).toBe('created');
      } finally {
        await otherInstance.end();
      }
    });
  }

  if (backend === 'pglite') {
    it('lets only one process at a time open the embedded database folder', async () => {
      await expect(openDatabase(location)).rejects.toThrow(DataFolderInUseError);
    });
  }
});
