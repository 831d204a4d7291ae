// Electron entry: app lifecycle only. The console itself is the ConsoleApp from core (the same one
// the browser mode serves); this file opens one hardened window onto it and tears it down on quit.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, utilityProcess, type WebContents } from 'electron';
import { resolveRuntimeOptions } from '../core/config';
import { createConsoleApp, type ConsoleApp } from '../core/console-app';
import { registerConsoleIpc } from './ipc';
import { utilitySpeechWorkerLauncher } from './utility-speech-worker';
import { createAppWindow, hardenSession, hardenWebContents } from './window-factory';
import { resolveAppPage, type AppPage } from './window-policy';

const windows = new Set<BrowserWindow>();
let consoleApp: ConsoleApp | null = null;
let disposeIpc: (() => void) | null = null;

function focusWindow(): void {
  const window = [...windows].find((candidate) => !candidate.isDestroyed());
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function appWebContents(): WebContents[] {
  return [...windows].filter((window) => !window.isDestroyed()).map((window) => window.webContents);
}

async function openWindow(appPage: AppPage): Promise<void> {
  // app.getAppPath() is the folder holding package.json: the repository in development, the
  // app archive when packaged. out/ is where electron-vite writes all three bundles.
  const { window, loaded } = createAppWindow({
    appPage,
    preloadPath: join(app.getAppPath(), 'out', 'preload', 'index.cjs'),
    allowDevTools: !app.isPackaged,
  });
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  try {
    await loaded;
  } catch (error) {
    const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
    // A navigation within the page while it loads aborts the first load without harming it.
    if (code === 'ERR_ABORTED') return;
    if (code === 'ERR_FILE_NOT_FOUND') {
      throw new Error(`The console's pages are not built (${appPage.url}). Run \`npm run build\` first. 界面尚未构建，请先运行 npm run build。`);
    }
    throw error;
  }
}

async function start(): Promise<void> {
  // Flags only (`--data-dir`, `--station`, `--operator`), read exactly as the CLI reads them.
  const options = resolveRuntimeOptions(process.argv.slice(1), process.env);
  const appPage = resolveAppPage({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    rendererHtmlPath: join(app.getAppPath(), 'out', 'renderer', 'index.html'),
  });

  // Any webContents Electron makes (devtools included) gets the same navigation rules.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appPage));
  app.on('session-created', (session) => hardenSession(session, appPage));

  // The speech worker's entry is bundled next to this file (out/main).
  const launchSpeechWorker = utilitySpeechWorkerLauncher(utilityProcess, dirname(fileURLToPath(import.meta.url)));
  consoleApp = await createConsoleApp({ ...options, launchSpeechWorker });
  disposeIpc = registerConsoleIpc({ ipcMain, consoleApp, appPage, windows: appWebContents });
  await openWindow(appPage);
}

const closeTimeoutMs = 10_000;
let shutdownStarted = false;
let exitCode = 0;

async function shutdown(): Promise<void> {
  disposeIpc?.();
  disposeIpc = null;
  const closing = consoleApp;
  consoleApp = null;
  if (!closing) return;
  // Closing checkpoints the database and releases its lock. It gets a fair while to do so, but a
  // stuck close must not leave a window-less process behind that holds the single-instance lock.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`closing took longer than ${closeTimeoutMs} ms`)), closeTimeoutMs);
  });
  try {
    await Promise.race([closing.close(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// One console per data folder: a second launch brings the running one forward instead of
// opening the same database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => focusWindow());

  // Quit when the window closes on every platform, macOS included: an operator console with
  // no window has nothing to do.
  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', (event) => {
    if (shutdownStarted) return;
    shutdownStarted = true;
    event.preventDefault();
    shutdown()
      .catch((error: unknown) => console.error('Hotline Console: error while closing', error))
      .finally(() => app.exit(exitCode));
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error('Hotline Console could not start:', error);
      dialog.showErrorBox('坐席台无法启动 Hotline Console could not start', message);
      exitCode = 1;
      app.quit();
    });
}
