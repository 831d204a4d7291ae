import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, openPage } from './browser';
import { startServer, type RunningServer } from './server';

export interface ConsoleFixture {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * One server (fresh data folder) and one browser page for the whole test file, torn down after
 * it. Call at the top of a `describe`; the fields are filled before the first test runs.
 */
export function useConsoleFixture(options: { modelsDir?: () => Promise<string>; browserArgs?: () => Promise<string[]> } = {}): ConsoleFixture {
  const fixture = {} as ConsoleFixture;
  beforeAll(async () => {
    fixture.server = await startServer({ modelsDir: await options.modelsDir?.() });
    fixture.browser = await launchBrowser(await options.browserArgs?.());
    const opened = await openPage(fixture.browser);
    fixture.context = opened.context;
    fixture.page = opened.page;
    fixture.problems = opened.problems;
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}
