import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestFile } from './model-manifest';
import { verifyFile, type VerifyProblem } from './model-verification';

// Hashing a few hundred megabytes of weights takes seconds; doing it on every start would delay
// speech recognition each time the console opens. So a file that passed is remembered with its
// size, times and inode, and re-hashed only when any of them changes (a write, a copy, a restore).

/** Hidden, so listings and imports ignore it; losing it only costs one re-hash. */
export const verificationCacheFile = '.verified.json';

interface CachedFile {
  path: string;
  sha256: string;
  bytes: number;
  mtimeMs: number;
  ctimeMs: number;
  inode: number;
}

async function readCache(modelDir: string): Promise<CachedFile[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(modelDir, verificationCacheFile), 'utf8'));
    return Array.isArray(parsed) ? (parsed as CachedFile[]) : [];
  } catch {
    return [];
  }
}

/**
 * Like verifyFiles, but trusts files that passed before and have not been touched since. With
 * `trustCached: false` every file is hashed, and the ones that pass are remembered for next time.
 */
export async function verifyWithCache(modelDir: string, files: ManifestFile[], { trustCached = true }: { trustCached?: boolean } = {}): Promise<VerifyProblem[]> {
  const cached = trustCached ? await readCache(modelDir) : [];
  const passed: CachedFile[] = [];
  const problems: VerifyProblem[] = [];
  let hashed = false;
  for (const file of files) {
    const info = await stat(join(modelDir, file.path)).catch(() => null);
    const fingerprint = info && { path: file.path, sha256: file.sha256, bytes: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, inode: info.ino };
    const known =
      fingerprint &&
      cached.find(
        (entry) =>
          entry.path === fingerprint.path &&
          entry.sha256 === fingerprint.sha256 &&
          entry.bytes === fingerprint.bytes &&
          entry.mtimeMs === fingerprint.mtimeMs &&
          entry.ctimeMs === fingerprint.ctimeMs &&
          entry.inode === fingerprint.inode,
      );
    if (known && fingerprint.bytes === file.bytes) {
      passed.push(fingerprint);
      continue;
    }
    hashed = true;
    const problem = await verifyFile(modelDir, file);
    if (problem) problems.push(problem);
    else if (fingerprint) passed.push(fingerprint);
  }
  if (hashed) {
    // A read-only models folder (installed by IT) is fine: the files are then hashed on each start.
    await writeFile(join(modelDir, verificationCacheFile), `${JSON.stringify(passed)}\n`).catch(() => undefined);
  }
  return problems;
}
