import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lockDataFolder } from './data-folder-lock';
import { DatabaseUnavailableError, type Database } from './database';
import { migrate } from './migrate';
import { openPgliteDatabase } from './pglite-database';
import { openPostgresDatabase } from './postgres-database';

export const defaultDataDir = './platform-data';

export interface DatabaseLocation {
  /** A PostgreSQL connection string; when given, `dataDir` is not used. */
  databaseUrl?: string;
  /** The embedded database's folder (default ./platform-data). */
  dataDir?: string;
}

/** Where the data lives, in words for logs and the CLI; never shows a password. */
export function describeLocation(location: DatabaseLocation): string {
  if (location.databaseUrl) {
    try {
      const url = new URL(location.databaseUrl);
      return `PostgreSQL at ${url.host}${url.pathname}`;
    } catch {
      return 'PostgreSQL (DATABASE_URL)';
    }
  }
  return `embedded PostgreSQL (PGlite) in ${resolve(location.dataDir ?? defaultDataDir)}`;
}

/** Opens the database (PostgreSQL when a URL is given, else PGlite in the data folder) and migrates it. */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  const database = location.databaseUrl ? await openServerDatabase(location.databaseUrl) : await openEmbeddedDatabase(location.dataDir ?? defaultDataDir);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openServerDatabase(databaseUrl: string): Promise<Database> {
  try {
    return await openPostgresDatabase(databaseUrl);
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    // At start-up the person reading this is the one who can fix the address or start the server.
    const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
    throw new Error(`Cannot reach ${describeLocation({ databaseUrl })}: ${reason}`, { cause: error });
  }
}

async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataFolder(dataDir);
  try {
    // PGlite's own files go in a subfolder: it initialises only an empty or absent folder, and the lock lives beside it.
    const embedded = await openPgliteDatabase(join(dataDir, 'pglite'));
    return {
      ...embedded,
      close: async () => {
        await embedded.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}
