import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export class DataFolderInUseError extends Error {
  constructor(dataDir: string, owner: LockOwner) {
    super(
      `The platform data folder ${dataDir} is in use by process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt}). ` +
        'The embedded database serves one process at a time: stop that process first, or point DATABASE_URL at a PostgreSQL server to run several.',
    );
    this.name = 'DataFolderInUseError';
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLockOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? '') };
    }
  } catch {
    // A half-written or unreadable lock file is treated as stale.
  }
  return null;
}

/**
 * PGlite is a single-process database: two processes opening the same folder would corrupt it. A
 * lock file left by a process that is gone (same host, pid not running) is taken over. Returns the
 * function that releases the lock.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, 'platform.lock');
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await readLockOwner(lockPath);
      if (existing && (existing.hostname !== owner.hostname || isProcessAlive(existing.pid))) {
        throw new DataFolderInUseError(dataDir, existing);
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the platform data folder ${dataDir}.`);
}
