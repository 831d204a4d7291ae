import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toAppError } from '../app-error';
import { acquireDataFolderLock, type DataFolderLock } from './data-folder-lock';
import { Database } from './database';
import { latestSchemaVersion, migrations, type Migration } from './migrations';

export const databaseFileName = 'hotline-console.sqlite';

export interface Storage {
  database: Database;
  /**
   * A second, read-only connection for searches: it answers from the last committed state while an
   * import or a re-index writes on `database`, and runs beside it on another core.
   */
  reader: Database;
  schemaVersion: number;
  close(): Promise<void>;
}

/** Applies every pending migration in one transaction; refuses a database newer than this code. */
export async function migrate(database: Database, available: readonly Migration[] = migrations): Promise<number> {
  const row = await database.get<{ user_version: number }>('PRAGMA user_version');
  const current = row?.user_version ?? 0;
  const latest = available.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AppError(
      'STORAGE_TOO_NEW',
      `The database ${database.path} was written by a newer Hotline Console (schema ${current}; this version knows up to ${latest}). Update the app; the data is untouched.`,
    );
  }
  const pending = available.filter((migration) => migration.version > current);
  if (pending.length === 0) return current;
  await database.transaction(async (executor) => {
    for (const migration of pending) {
      await executor.exec(migration.sql);
      // user_version is part of the database header, so it commits or rolls back with the schema.
      await executor.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
    }
  });
  return latest;
}

/** Locks the data folder, opens (or creates) the database, sets WAL and foreign keys, migrates. */
export async function openStorage(dataDir: string): Promise<Storage> {
  await mkdir(dataDir, { recursive: true }).catch((error) => {
    throw toAppError(error);
  });
  const lock: DataFolderLock = await acquireDataFolderLock(dataDir).catch((error) => {
    throw toAppError(error);
  });
  let database: Database | undefined;
  try {
    database = await Database.open(join(dataDir, databaseFileName));
    // Reading the schema is what first touches the file: a corrupt one fails here, before any write.
    await database.get('SELECT count(*) AS tables FROM sqlite_schema');
    await database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
    const journal = await database.get<{ journal_mode: string }>('PRAGMA journal_mode');
    if (journal?.journal_mode !== 'wal') {
      throw new AppError('STORAGE_READ_ONLY', `The database ${database.path} could not be switched to WAL mode; is the folder writable?`);
    }
    const schemaVersion = await migrate(database);
    // SQLite quietly opens a file it may not write read-only; find out now, not at the first save.
    await database.transaction((executor) => executor.exec(`PRAGMA user_version = ${schemaVersion}`));
    const opened = database;
    const reader = await Database.open(opened.path, { readOnly: true });
    await reader.exec('PRAGMA busy_timeout = 5000;');
    return {
      database: opened,
      reader,
      schemaVersion,
      close: async () => {
        await reader.close();
        await opened.close();
        await lock.release();
      },
    };
  } catch (error) {
    await database?.close().catch(() => undefined);
    await lock.release();
    throw toAppError(error);
  }
}

export { latestSchemaVersion };
