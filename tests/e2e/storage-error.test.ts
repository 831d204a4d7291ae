import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, saveScreenshot } from './support/browser';
import { makeDataDir, startServer, type RunningServer } from './support/server';

describe('storage problems get a full page in plain words', () => {
  let browser: Browser;
  const servers: RunningServer[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers.reverse()) await server.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('explains a data folder locked by another console, and opens it once that console has closed', async () => {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const first = await startServer({ dataDir });
    const second = await startServer({ dataDir });
    servers.push(second);

    const { page, problems } = await openPage(browser);
    await page.goto(second.url);
    const errorPage = page.locator('[data-testid="storage-error"][data-error-code="STORAGE_LOCKED"]');
    await errorPage.waitFor();
    expect(await page.getByTestId('storage-error-title').textContent()).toBe('数据文件夹正被另一个坐席台使用');
    expect(await errorPage.textContent()).toContain('--data-dir');
    // No screen of the console is offered while storage is unusable.
    expect(await page.getByTestId('live-call-screen').count()).toBe(0);
    await saveScreenshot(page, '12-storage-locked');

    await first.stop();
    await page.getByTestId('storage-retry').click();
    await page.getByTestId('live-call-screen').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('explains a damaged database file and names it', async () => {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const databasePath = join(dataDir, 'hotline-console.sqlite');
    writeFileSync(databasePath, 'this is not a database '.repeat(400));
    const server = await startServer({ dataDir });
    servers.push(server);

    const { page } = await openPage(browser);
    await page.goto(server.url);
    await page.locator('[data-testid="storage-error"][data-error-code="STORAGE_CORRUPT"]').waitFor();
    expect(await page.getByTestId('storage-error-title').textContent()).toBe('工单数据库文件已损坏');
    expect(await page.getByTestId('storage-error-path').textContent()).toBe(databasePath);
    expect(await page.getByTestId('storage-error').textContent()).toContain('备份');
    await saveScreenshot(page, '13-storage-corrupt');
    await page.context().close();
  });
});
