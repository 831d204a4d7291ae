import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy, resolveAppPage } from '../../../src-main/electron/window-policy';

// Electron's main-process API as a recording fake: enough to see what the factory asks for.
const electron = await vi.hoisted(async () => {
  // vi.hoisted runs before the file's imports, so it loads what it needs itself.
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeSession {
    permissionRequestHandler: ((...args: any[]) => void) | null = null;
    permissionCheckHandler: ((...args: any[]) => boolean) | null = null;
    devicePermissionHandler: ((...args: any[]) => boolean) | null = null;
    headersReceived: ((details: any, callback: (response: any) => void) => void) | null = null;
    setPermissionRequestHandler(handler: any) {
      this.permissionRequestHandler = handler;
    }
    setPermissionCheckHandler(handler: any) {
      this.permissionCheckHandler = handler;
    }
    setDevicePermissionHandler(handler: any) {
      this.devicePermissionHandler = handler;
    }
    webRequest = {
      onHeadersReceived: (listener: any) => {
        this.headersReceived = listener;
      },
    };
  }
  class FakeWebContents extends Emitter {
    session = new FakeSession();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: any) {
      this.windowOpenHandler = handler;
    }
  }
  class FakeBrowserWindow extends Emitter {
    static created: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    constructor(readonly options: any) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
    }
    show() {}
  }
  return { FakeBrowserWindow, FakeWebContents, shell: { openExternal: vi.fn(async () => {}) } };
});

vi.mock('electron', () => ({ BrowserWindow: electron.FakeBrowserWindow, shell: electron.shell }));

const { createAppWindow, hardenWebContents } = await import('../../../src-main/electron/window-factory');

const rendererHtmlPath = '/opt/hotline-console/out/renderer/index.html';
const appPage = resolveAppPage({ isPackaged: true, devServerUrl: undefined, rendererHtmlPath });
const appUrl = pathToFileURL(rendererHtmlPath).href;

async function openWindow() {
  const created = createAppWindow({
    appPage,
    preloadPath: '/opt/hotline-console/out/preload/index.cjs',
    allowDevTools: false,
  });
  await created.loaded;
  const window = created.window as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
  return { window, contents: window.webContents, session: window.webContents.session };
}

/** Emits an Electron-style cancellable event and says whether a listener prevented it. */
function emitCancellable(target: EventEmitter, name: string, fields: Record<string, unknown>): boolean {
  let prevented = false;
  target.emit(name, { ...fields, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('createAppWindow', () => {
  it('creates the window with hardened webPreferences and loads the app page', async () => {
    const { window } = await openWindow();
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      preload: '/opt/hotline-console/out/preload/index.cjs',
    });
    expect(window.options.show).toBe(false);
    expect(window.loadedUrl).toBe(appUrl);
  });

  it('denies navigation away from the app page', async () => {
    const { contents } = await openWindow();
    expect(emitCancellable(contents, 'will-navigate', { url: 'https://example.com/' })).toBe(true);
    expect(emitCancellable(contents, 'will-navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(emitCancellable(contents, 'will-navigate', { url: `${appUrl}#/cases` })).toBe(false);
    expect(emitCancellable(contents, 'will-redirect', { url: 'https://example.com/', isMainFrame: true })).toBe(true);
    expect(emitCancellable(contents, 'will-frame-navigate', { url: 'https://example.com/', isMainFrame: false })).toBe(true);
  });

  it('denies new windows and opens web links in the system browser', async () => {
    const { contents } = await openWindow();
    expect(contents.windowOpenHandler?.({ url: 'https://www.gov.cn/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://www.gov.cn/');
    electron.shell.openExternal.mockClear();
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('blocks webviews', async () => {
    const { contents } = await openWindow();
    expect(emitCancellable(contents, 'will-attach-webview', {})).toBe(true);
  });

  it('grants the microphone and nothing else', async () => {
    const { session } = await openWindow();
    const ask = (permission: string, details: Record<string, unknown>) =>
      new Promise<boolean>((resolve) => session.permissionRequestHandler?.(null, permission, resolve, details));
    expect(await ask('media', { requestingUrl: appUrl, isMainFrame: true, mediaTypes: ['audio'] })).toBe(true);
    expect(await ask('media', { requestingUrl: appUrl, isMainFrame: true, mediaTypes: ['video'] })).toBe(false);
    expect(await ask('notifications', { requestingUrl: appUrl, isMainFrame: true })).toBe(false);
    expect(await ask('media', { requestingUrl: 'https://example.com/', isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'media', 'file:///', { requestingUrl: appUrl, isMainFrame: true, mediaType: 'audio' })).toBe(true);
    expect(session.permissionCheckHandler?.(null, 'geolocation', 'file:///', { requestingUrl: appUrl, isMainFrame: true })).toBe(false);
    expect(session.devicePermissionHandler?.({})).toBe(false);
  });

  it('sets the Content-Security-Policy on responses', async () => {
    const { session } = await openWindow();
    const response = await new Promise<any>((resolve) =>
      session.headersReceived?.({ url: appUrl, resourceType: 'mainFrame', responseHeaders: { 'Content-Type': ['text/html'] } }, resolve),
    );
    expect(response.responseHeaders['Content-Security-Policy']).toEqual([contentSecurityPolicy(appPage)]);
    expect(response.responseHeaders['Content-Type']).toEqual(['text/html']);
  });
});

describe('hardenWebContents', () => {
  it('attaches its guards once, however often it is called', () => {
    const contents = new electron.FakeWebContents();
    hardenWebContents(contents as never, appPage);
    hardenWebContents(contents as never, appPage);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });
});
