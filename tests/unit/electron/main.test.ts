import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// main.ts is all side effects on Electron's `app`; here `app` is a recording fake and the console
// and the window factory are stubs, so the lifecycle can be driven step by step.
const fakes = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  class FakeApp extends EventEmitter {
    isPackaged = true;
    gotLock = true;
    ready!: () => void;
    readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
    requestSingleInstanceLock = vi.fn(() => this.gotLock);
    enableSandbox = vi.fn();
    quit = vi.fn(() => {
      // Electron emits will-quit on quit; listeners may prevent it.
      let prevented = false;
      this.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.exited = 0;
    });
    exit = vi.fn((code: number) => (this.exited = code));
    exited: number | null = null;
    whenReady = () => this.readyPromise;
    getAppPath = () => '/opt/hotline-console';
  }
  const state = {
    app: new FakeApp(),
    consoleApp: { invoke: vi.fn(), subscribe: vi.fn(() => () => {}), close: vi.fn(async () => {}) },
    createConsoleApp: vi.fn(),
    windows: [] as Array<{ focus: ReturnType<typeof vi.fn>; show: ReturnType<typeof vi.fn>; restore: ReturnType<typeof vi.fn>; webContents: { id: number } }>,
    createAppWindow: vi.fn(),
    disposeIpc: vi.fn(),
    registerConsoleIpc: vi.fn(),
    showErrorBox: vi.fn(),
    pageLoaded: Promise.resolve(),
  };
  return { FakeApp, state };
});

const { state } = fakes;

vi.mock('electron', () => ({
  // A getter: each test loads main.ts afresh against a new fake app.
  get app() {
    return fakes.state.app;
  },
  BrowserWindow: class {},
  dialog: { showErrorBox: fakes.state.showErrorBox },
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
  utilityProcess: { fork: vi.fn() },
}));
vi.mock('../../../src-main/core/console-app', () => ({ createConsoleApp: fakes.state.createConsoleApp }));
vi.mock('../../../src-main/electron/window-factory', () => ({
  createAppWindow: fakes.state.createAppWindow,
  hardenWebContents: vi.fn(),
  hardenSession: vi.fn(),
}));
vi.mock('../../../src-main/electron/ipc', () => ({ registerConsoleIpc: fakes.state.registerConsoleIpc }));

const originalArgv = process.argv;

async function loadMain(options: { gotLock: boolean }) {
  state.app = new fakes.FakeApp();
  state.app.gotLock = options.gotLock;
  vi.resetModules();
  await import('../../../src-main/electron/main');
}

async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

beforeEach(() => {
  vi.clearAllMocks();
  process.argv = ['/opt/hotline-console/hotline-console', '--data-dir', '/srv/hotline/data', '--station', 'hc07', '--operator', '张三'];
  state.createConsoleApp.mockResolvedValue(state.consoleApp);
  state.registerConsoleIpc.mockReturnValue(state.disposeIpc);
  state.createAppWindow.mockImplementation(() => {
    const window = Object.assign(new EventEmitter(), {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
      webContents: { id: 1 },
    });
    state.windows.push(window);
    return { window, loaded: state.pageLoaded };
  });
  state.windows = [];
  state.pageLoaded = Promise.resolve();
});

afterEach(() => {
  process.argv = originalArgv;
});

describe('electron main', () => {
  it('quits at once when another instance holds the lock', async () => {
    await loadMain({ gotLock: false });
    state.app.ready();
    await settle();
    expect(state.app.quit).toHaveBeenCalled();
    expect(state.createConsoleApp).not.toHaveBeenCalled();
    expect(state.createAppWindow).not.toHaveBeenCalled();
  });

  it('starts the console with the command-line options, wires IPC, then opens the hardened window', async () => {
    await loadMain({ gotLock: true });
    expect(state.app.enableSandbox).toHaveBeenCalled();
    state.app.ready();
    await settle();
    expect(state.createConsoleApp).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: '/srv/hotline/data', stationCode: 'HC07', operatorName: '张三' }),
    );
    expect(state.registerConsoleIpc).toHaveBeenCalledWith(expect.objectContaining({ consoleApp: state.consoleApp }));
    expect(state.createAppWindow).toHaveBeenCalledWith({
      appPage: { kind: 'file', url: 'file:///opt/hotline-console/out/renderer/index.html' },
      preloadPath: '/opt/hotline-console/out/preload/index.cjs',
      allowDevTools: false,
    });
    expect(state.registerConsoleIpc.mock.invocationCallOrder[0]).toBeLessThan(state.createAppWindow.mock.invocationCallOrder[0] ?? 0);
  });

  it('trusts the window before its page has finished loading (the page may call at once)', async () => {
    state.pageLoaded = new Promise<void>(() => {});
    await loadMain({ gotLock: true });
    state.app.ready();
    await settle();
    const { windows } = state.registerConsoleIpc.mock.calls[0]?.[0] as { windows: () => Iterable<unknown> };
    expect([...windows()]).toEqual([state.windows[0]?.webContents]);
  });

  it('explains a missing renderer build instead of failing obscurely', async () => {
    state.pageLoaded = Promise.reject(Object.assign(new Error('ERR_FILE_NOT_FOUND (-6) loading file:///...'), { code: 'ERR_FILE_NOT_FOUND' }));
    state.pageLoaded.catch(() => {});
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await loadMain({ gotLock: true });
    state.app.ready();
    await settle();
    expect(state.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('npm run build'));
    expect(state.app.exit).toHaveBeenCalledWith(1);
    consoleError.mockRestore();
  });

  it('brings the running window forward when a second instance starts', async () => {
    await loadMain({ gotLock: true });
    state.app.ready();
    await settle();
    state.app.emit('second-instance', {}, [], '/');
    const window = state.windows[0];
    expect(window?.restore).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
  });

  it('quits when the window closes, closing the console before exiting', async () => {
    await loadMain({ gotLock: true });
    state.app.ready();
    await settle();
    state.app.emit('window-all-closed');
    expect(state.app.quit).toHaveBeenCalled();
    await settle();
    expect(state.disposeIpc).toHaveBeenCalled();
    expect(state.consoleApp.close).toHaveBeenCalledTimes(1);
    expect(state.app.exit).toHaveBeenCalledWith(0);
    expect(state.disposeIpc.mock.invocationCallOrder[0]).toBeLessThan(state.consoleApp.close.mock.invocationCallOrder[0] ?? 0);
  });

  it('reports a failed start and exits with code 1', async () => {
    state.createConsoleApp.mockRejectedValueOnce(new Error('database is locked'));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await loadMain({ gotLock: true });
    state.app.ready();
    await settle();
    expect(state.showErrorBox).toHaveBeenCalledWith(expect.any(String), 'database is locked');
    expect(state.app.exit).toHaveBeenCalledWith(1);
    expect(state.createAppWindow).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });
});
