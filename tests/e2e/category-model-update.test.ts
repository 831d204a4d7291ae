// After an update that changed the category model, the version an earlier console stored cannot be
// read. The console trains a new one from the same cases as it starts, and Settings says which
// version is which: the old one marked as unusable, with no restore button.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../src-main/core/storage/open-storage';
import { sharedDataDir } from '../support/shared-data';
import { LiveCallPage } from './pages/live-call-page';
import { launchBrowser, openPage, saveScreenshot } from './support/browser';
import { makeDataDir, repoRoot, startServer, type RunningServer } from './support/server';

const run = promisify(execFile);

/** A data folder whose active category model is in storage version 2, as a console before the update left it. */
async function dataFolderFromBeforeTheUpdate(): Promise<string> {
  const dataDir = makeDataDir();
  const rows = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 300);
  const casesFile = join(dataDir, 'cases.jsonl');
  writeFileSync(casesFile, rows.map((row, index) => JSON.stringify({ ...JSON.parse(row), id: `m${index}` })).join('\n'));
  const cli = (...args: string[]) => run(process.execPath, ['bin/hotline-console.js', ...args, '--data-dir', dataDir], { cwd: repoRoot, encoding: 'utf8' });
  await cli('import-cases', casesFile);
  await cli('train');
  const database = new sqlite3.Database(join(dataDir, databaseFileName));
  await new Promise<void>((resolve, reject) => database.run("UPDATE category_models SET model = json_set(model, '$.version', 2)", (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve, reject) => database.close((error) => (error ? reject(error) : resolve())));
  return dataDir;
}

describe('category model after an update', () => {
  let dataDir: string;
  let server: RunningServer;
  let browser: Browser;
  let live: LiveCallPage;
  let problems: string[];

  beforeAll(async () => {
    dataDir = await dataFolderFromBeforeTheUpdate();
    server = await startServer({ dataDir });
    browser = await launchBrowser();
    const opened = await openPage(browser);
    problems = opened.problems;
    live = new LiveCallPage(opened.page);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trains a new version as the console starts, and marks the unreadable one in Settings', async () => {
    await live.open(server);
    await live.page.keyboard.press('Control+,');
    const settings = live.byTestId('category-model-settings');
    await settings.waitFor();
    // The list follows onCategoryModelChanged: the new version appears when its training ends.
    const newVersion = settings.locator('[data-testid="category-model"][data-version="2"]');
    await newVersion.waitFor({ timeout: 90_000 });
    expect(await newVersion.getAttribute('data-active')).toBe('true');
    expect(await newVersion.textContent()).toContain('控制台更新后旧版本无法读取，自动重新训练');

    const oldVersion = settings.locator('[data-testid="category-model"][data-version="1"]');
    expect(await oldVersion.getByTestId('category-model-unreadable').textContent()).toBe('旧格式，无法使用');
    expect(await oldVersion.getByTestId('category-model-restore').count()).toBe(0);
    await oldVersion.scrollIntoViewIfNeeded();
    await saveScreenshot(live.page, '35-settings-category-model-after-update');
    expect(problems).toEqual([]);
  });
});
