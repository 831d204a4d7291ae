import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const tokenPrefix = 'hcp_';
/** 32 random bytes in base64url are 43 characters. */
const tokenPattern = /^hcp_[A-Za-z0-9_-]{43}$/;

/** A new station token: shown once to whoever adds the station, stored only as its digest. */
export function generateStationToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token. A plain sha256 is enough here, unlike for passwords: the token is 256
 * random bits, so there is no dictionary to try and a slow hash would add nothing but latency to
 * every request.
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The token from an `Authorization: Bearer …` header, or null when the header is absent or does not
 * hold something shaped like one of our tokens (which then needs no database look-up to refuse).
 */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  return token !== undefined && tokenPattern.test(token) ? token : null;
}

/**
 * The station row is found by its digest through a unique index, so the database compares digests,
 * never tokens; any timing it leaks concerns a digest prefix, which does not help forge a token. This
 * constant-time check of the row we got keeps that guarantee independent of how the database compares.
 */
export function digestsMatch(storedDigest: string, presentedDigest: string): boolean {
  const stored = Buffer.from(storedDigest, 'hex');
  const presented = Buffer.from(presentedDigest, 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
