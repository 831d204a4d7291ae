import type { Station, StationRole } from '../model';
import type { Database } from './database';

interface StationRow {
  code: string;
  role: StationRole;
  created_at: Date;
  revoked_at: Date | null;
}

export interface StationCredentials extends Station {
  tokenSha256: string;
}

function stationOf(row: StationRow): Station {
  return { code: row.code, role: row.role, createdAt: row.created_at.toISOString(), revokedAt: row.revoked_at?.toISOString() ?? null };
}

/**
 * Stations found by token, remembered per embedded database. The embedded database serves one process
 * at a time (its folder is locked), so while the platform runs its stations change only through the
 * functions below, in this process, and each of them forgets what was remembered: a revocation still
 * counts from the next request. That saves the look-up that otherwise doubled the database work of
 * every submission. A PostgreSQL server is shared (the command line, other instances), so there every
 * request reads the table. Only stations that exist are remembered: unknown tokens cannot fill memory.
 */
const rememberedStations = new WeakMap<Database, { generation: number; stations: Map<string, StationCredentials> }>();

function memoryOf(database: Database): { generation: number; stations: Map<string, StationCredentials> } {
  let memory = rememberedStations.get(database);
  if (!memory) {
    memory = { generation: 0, stations: new Map() };
    rememberedStations.set(database, memory);
  }
  return memory;
}

/** A look-up that was under way during a change must not store what it read before the change: hence the generation. */
function forgetStations(database: Database): void {
  const memory = memoryOf(database);
  memory.generation += 1;
  memory.stations.clear();
}

/** Station codes as consoles use them (HC01, BJ-CY-03): letters, digits, '-' and '_'. */
export const stationCodePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/;

/** Adds a station with the digest of its token; false when the code is already taken (revoked or not). */
export async function addStation(database: Database, station: { code: string; role: StationRole; tokenSha256: string }, now: Date): Promise<boolean> {
  const inserted = await database.query(
    `INSERT INTO stations (code, role, token_sha256, created_at) VALUES ($1, $2, $3, $4::timestamptz)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [station.code, station.role, station.tokenSha256, now.toISOString()],
  );
  forgetStations(database);
  return inserted.length === 1;
}

/** Revokes the station's token from now on; false when there is no such station or it was already revoked. */
export async function revokeStation(database: Database, code: string, now: Date): Promise<boolean> {
  const revoked = await database.query('UPDATE stations SET revoked_at = $2::timestamptz WHERE code = $1 AND revoked_at IS NULL RETURNING code', [
    code,
    now.toISOString(),
  ]);
  forgetStations(database);
  return revoked.length === 1;
}

/**
 * Gives the station a new token: the old one stops working at once, and a revoked station is active
 * again. Null when there is no such station; otherwise whether it had been revoked.
 */
export async function rotateStationToken(database: Database, code: string, tokenSha256: string): Promise<{ wasRevoked: boolean } | null> {
  const [row] = await database.query<{ was_revoked: boolean }>(
    `WITH previous AS (SELECT code, revoked_at FROM stations WHERE code = $1 FOR UPDATE)
     UPDATE stations SET token_sha256 = $2, revoked_at = NULL FROM previous WHERE stations.code = previous.code
     RETURNING previous.revoked_at IS NOT NULL AS was_revoked`,
    [code, tokenSha256],
  );
  forgetStations(database);
  return row ? { wasRevoked: row.was_revoked } : null;
}

export async function listStations(database: Database): Promise<Station[]> {
  const rows = await database.query<StationRow>('SELECT code, role, created_at, revoked_at FROM stations ORDER BY code');
  return rows.map(stationOf);
}

export async function findStationByTokenDigest(database: Database, tokenSha256: string): Promise<StationCredentials | null> {
  const memory = database.kind === 'pglite' ? memoryOf(database) : null;
  const known = memory?.stations.get(tokenSha256);
  if (known) return known;
  const generation = memory?.generation;
  const [row] = await database.query<StationRow & { token_sha256: string }>(
    'SELECT code, role, token_sha256, created_at, revoked_at FROM stations WHERE token_sha256 = $1',
    [tokenSha256],
  );
  if (!row) return null;
  const station: StationCredentials = { ...stationOf(row), tokenSha256: row.token_sha256 };
  if (memory && memory.generation === generation) memory.stations.set(tokenSha256, station);
  return station;
}
