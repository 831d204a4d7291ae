import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../src-main/core/storage/migrations';
import { Database } from '../../../src-main/core/storage/database';
import { databaseFileName } from '../../../src-main/core/storage/open-storage';
import { call, completeCaseFields, makeTempDir, openTestConsole, removeTempDir } from '../../support/temp-console';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dataDir);
});

/** Saves one confirmed case and returns its code, so each test can check that nothing was lost. */
async function saveOneCase(): Promise<string> {
  const app = await openTestConsole(dataDir);
  const saved = await call(app, 'cases.confirm', { fields: completeCaseFields });
  await app.close();
  return saved.code;
}

async function codesAfterReopen(): Promise<string[]> {
  const app = await openTestConsole(dataDir);
  const found = await call(app, 'cases.search', { query: '' });
  await app.close();
  return found.items.map((item) => item.code);
}

describe('storage failures', () => {
  it('refuses a second console on the same data folder, explains why, and the first keeps working', async () => {
    const first = await openTestConsole(dataDir);
    const second = await openTestConsole(dataDir);
    expect(second.status.storage).toMatchObject({ state: 'error', code: 'STORAGE_LOCKED' });
    expect(second.status.storage.state === 'error' && second.status.storage.message).toMatch(/Another Hotline Console \(process \d+/);
    expect(await second.invoke('calls.start', {})).toMatchObject({ ok: false, error: { code: 'STORAGE_LOCKED' } });
    // Status and reference data still answer, so the screen can explain the problem.
    expect(await second.invoke('app.getStatus', {})).toMatchObject({ ok: true });
    expect(await second.invoke('reference.get', {})).toMatchObject({ ok: true });
    await second.close();
    expect((await call(first, 'calls.start', {})).id).toBeTruthy();
    await first.close();
  });

  it('takes over the lock of a console that crashed', async () => {
    await writeFile(join(dataDir, 'hotline-console.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: (await import('node:os')).hostname(), startedAt: 'x' }));
    const app = await openTestConsole(dataDir);
    expect(app.status.storage.state).toBe('ready');
    await app.close();
  });

  it('reports a corrupt database file without touching it', async () => {
    const garbage = Buffer.from('this is not a database, it is a damaged file '.repeat(200));
    await writeFile(join(dataDir, databaseFileName), garbage);
    const app = await openTestConsole(dataDir);
    expect(app.status.storage).toMatchObject({ state: 'error', code: 'STORAGE_CORRUPT' });
    expect(await app.invoke('cases.search', {})).toMatchObject({ ok: false, error: { code: 'STORAGE_CORRUPT' } });
    await app.close();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dataDir, databaseFileName))).toEqual(garbage);
  });

  it('refuses a database from a newer version and keeps its data', async () => {
    const code = await saveOneCase();
    const database = await Database.open(join(dataDir, databaseFileName));
    await database.exec(`PRAGMA user_version = ${latestSchemaVersion + 1}`);
    await database.close();
    const app = await openTestConsole(dataDir);
    expect(app.status.storage).toMatchObject({ state: 'error', code: 'STORAGE_TOO_NEW' });
    await app.close();
    const restore = await Database.open(join(dataDir, databaseFileName));
    await restore.exec(`PRAGMA user_version = ${latestSchemaVersion}`);
    await restore.close();
    expect(await codesAfterReopen()).toEqual([code]);
  });

  it('explains a database file that cannot be written, and loses nothing', async () => {
    const code = await saveOneCase();
    const databasePath = join(dataDir, databaseFileName);
    // chattr +i makes the file unwritable even for root, as a read-only share or a locked-down file would.
    execFileSync('chattr', ['+i', databasePath]);
    try {
      const app = await openTestConsole(dataDir);
      expect(app.status.storage).toMatchObject({ state: 'error', code: 'STORAGE_READ_ONLY' });
      await app.close();
    } finally {
      execFileSync('chattr', ['-i', databasePath]);
    }
    expect(await codesAfterReopen()).toEqual([code]);
  });
});

describe('retrying storage', () => {
  it('opens the database once the other console has closed', async () => {
    const first = await openTestConsole(dataDir);
    const second = await openTestConsole(dataDir);
    expect((await call(second, 'app.retryStorage', {})).storage).toMatchObject({ state: 'error', code: 'STORAGE_LOCKED' });
    await first.close();
    expect((await call(second, 'app.retryStorage', {})).storage).toMatchObject({ state: 'ready' });
    expect((await call(second, 'calls.start', {})).id).toBeTruthy();
    await second.close();
  });
});
