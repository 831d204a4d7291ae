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

/** Station codes as consoles use them (HC01, BJ-CY-03): letters, digits, '-' and '_'. */
export const stationCodePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/;

/** Adds a station with the digest of its token; false when the code is already taken (revoked or not). */
export async function addStation(database: Database, station: { code: string; role: StationRole; tokenSha256: string }, now: Date): Promise<boolean> {
  const inserted = await database.query(
    `INSERT INTO stations (code, role, token_sha256, created_at) VALUES ($1, $2, $3, $4::timestamptz)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [station.code, station.role, station.tokenSha256, now.toISOString()],
  );
  return inserted.length === 1;
}

/** Revokes the station's token from now on; false when there is no such station or it was already revoked. */
export async function revokeStation(database: Database, code: string, now: Date): Promise<boolean> {
  const revoked = await database.query('UPDATE stations SET revoked_at = $2::timestamptz WHERE code = $1 AND revoked_at IS NULL RETURNING code', [
    code,
    now.toISOString(),
  ]);
  return revoked.length === 1;
}

export async function listStations(database: Database): Promise<Station[]> {
  const rows = await database.query<StationRow>('SELECT code, role, created_at, revoked_at FROM stations ORDER BY code');
  return rows.map(stationOf);
}

export async function findStationByTokenDigest(database: Database, tokenSha256: string): Promise<StationCredentials | null> {
  const [row] = await database.query<StationRow & { token_sha256: string }>(
    'SELECT code, role, token_sha256, created_at, revoked_at FROM stations WHERE token_sha256 = $1',
    [tokenSha256],
  );
  return row ? { ...stationOf(row), tokenSha256: row.token_sha256 } : null;
}
