import { advisoryLocks, type Database } from './database';
import { platformMigrations, type PlatformMigration } from './migrations';

export class SchemaTooNewError extends Error {
  constructor(applied: number, known: number) {
    super(
      `The database has platform schema ${applied}, written by a newer platform; this one knows up to ${known}. Run the newer platform version; the data is untouched.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Applies every pending migration in one transaction and returns the schema version. Idempotent,
 * and safe when several instances start against one server at once: the advisory lock makes the
 * second wait for the first and then find nothing to do.
 */
export async function migrate(database: Database, available: readonly PlatformMigration[] = platformMigrations): Promise<number> {
  const latest = available.at(-1)?.version ?? 0;
  return database.transaction(async (session) => {
    await session.query(`SELECT pg_advisory_xact_lock(${advisoryLocks.migrations})`);
    await session.executeScript(`
CREATE TABLE IF NOT EXISTS platform_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
    const [row] = await session.query<{ version: number | null }>('SELECT max(version) AS version FROM platform_schema_migrations');
    const applied = row?.version ?? 0;
    if (applied > latest) throw new SchemaTooNewError(applied, latest);
    for (const migration of available.filter((candidate) => candidate.version > applied)) {
      await session.executeScript(migration.sql);
      await session.query('INSERT INTO platform_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    return latest;
  });
}
