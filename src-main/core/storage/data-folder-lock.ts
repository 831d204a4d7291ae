import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../app-error';

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface DataFolderLock {
  release(): Promise<void>;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One console per data folder: two processes writing the same database and the same case-code
 * counters would be safe for SQLite but confusing for operators (two windows, one queue). A lock
 * left by a crashed process (its pid gone) is taken over.
 */
export async function acquireDataFolderLock(dataDir: string): Promise<DataFolderLock> {
  const lockPath = join(dataDir, 'hotline-console.lock');
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return {
        release: async () => {
          await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await readLockOwner(lockPath);
      if (existing && existing.hostname === owner.hostname && isProcessAlive(existing.pid)) {
        throw new AppError(
          'STORAGE_LOCKED',
          `Another Hotline Console (process ${existing.pid}, started ${existing.startedAt}) is using the data folder ${dataDir}. Close it, or start this one with a different --data-dir.`,
        );
      }
      if (existing && existing.hostname !== owner.hostname) {
        throw new AppError(
          'STORAGE_LOCKED',
          `The data folder ${dataDir} is in use by a console on ${existing.hostname} (process ${existing.pid}). Close it there first.`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new AppError('STORAGE_LOCKED', `Could not lock the data folder ${dataDir}.`);
}

async function readLockOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? '') };
    }
  } catch {
    // A half-written or garbled lock file is treated as stale.
  }
  return null;
}
