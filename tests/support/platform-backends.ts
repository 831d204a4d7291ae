import { randomUUID } from 'node:crypto';
import { generateStationToken, tokenDigest } from '../../src-platform/api/station-tokens';
import type { StationRole } from '../../src-platform/model';
import type { Database } from '../../src-platform/storage/database';
import type { DatabaseLocation } from '../../src-platform/storage/open-database';
import { addStation } from '../../src-platform/storage/stations';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres-server';
import { makeTempDir, removeTempDir } from './temp-console';

export const platformBackends = ['pglite', 'postgres'] as const;
export type PlatformBackend = (typeof platformBackends)[number];

/**
 * Fresh, empty platform databases for one test file: a temporary folder for PGlite, a new database
 * in one throwaway PostgreSQL cluster (started on first use) for PostgreSQL. `dispose` removes all.
 */
export class PlatformTestDatabases {
  private cluster: Promise<ThrowawayPostgres> | null = null;
  private readonly folders: string[] = [];

  async freshLocation(backend: PlatformBackend): Promise<DatabaseLocation> {
    if (backend === 'pglite') {
      const dataDir = await makeTempDir('platform-test-');
      this.folders.push(dataDir);
      return { dataDir };
    }
    this.cluster ??= startThrowawayPostgres();
    return { databaseUrl: await (await this.cluster).createDatabase(`platform_${randomUUID().replaceAll('-', '')}`) };
  }

  async dispose(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = null;
    await Promise.all(this.folders.splice(0).map((folder) => removeTempDir(folder)));
    // A cluster that failed to start has nothing to stop; its error was reported where it was awaited.
    if (cluster) await (await cluster.catch(() => null))?.stop();
  }
}

/** Adds a station as `platform stations add` does and returns its token. */
export async function issueStationToken(database: Database, code: string, role: StationRole = 'station'): Promise<string> {
  const token = generateStationToken();
  if (!(await addStation(database, { code, role, tokenSha256: tokenDigest(token) }, new Date()))) throw new Error(`Station ${code} exists already.`);
  return token;
}
