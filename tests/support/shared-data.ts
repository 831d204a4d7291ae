import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's shared public data (speech clips, citizen messages), which has no licence to be
 * copied into the repository: $HOTLINE_SHARED_DATA, else `shared/data` beside the repository,
 * else the workplace's `/work/shared/data` (where a clone made elsewhere, e.g. by CI, finds it).
 */
function findSharedDataDir(): string {
  const candidates = [
    process.env.HOTLINE_SHARED_DATA,
    fileURLToPath(new URL('../../../shared/data/', import.meta.url)),
    '/work/shared/data',
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(join(candidate, 'README.md')) || existsSync(join(candidate, 'speech')));
  if (!found) throw new Error(`The shared data folder is missing (looked in ${candidates.join(', ')}); set HOTLINE_SHARED_DATA to it.`);
  return found;
}

export const sharedDataDir = findSharedDataDir();
