// The one place a BrowserWindow is made, and the one place a webContents or session is hardened.
// Every decision is taken by window-policy.ts; this file only wires those answers to Electron.

import { BrowserWindow, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import {
  contentSecurityPolicy,
  decideWindowOpen,
  hardenedWebPreferences,
  isNavigationAllowed,
  isPermissionAllowed,
  withContentSecurityPolicy,
  type AppPage,
} from './window-policy';

const hardenedContents = new WeakSet<WebContents>();

/**
 * Navigation, new windows and webviews, denied for one webContents. Idempotent, so main can also
 * apply it to every webContents Electron creates (`web-contents-created`), ours or not.
 */
export function hardenWebContents(contents: WebContents, appPage: AppPage): void {
  if (hardenedContents.has(contents)) return;
  hardenedContents.add(contents);

  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url, appPage)) event.preventDefault();
  });
  // Sub-frames (which the CSP already limits to our own files) may not wander off either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isNavigationAllowed(event.url, appPage)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url, appPage)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) {
      shell.openExternal(url).catch((error: unknown) => console.error(`Could not open ${url}`, error));
    }
    return { action: decision.action };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

const hardenedSessions = new WeakSet<Session>();

/** Permissions and the Content-Security-Policy for the session the app's windows use. */
export function hardenSession(session: Session, appPage: AppPage): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(
      isPermissionAllowed(
        { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, mediaTypes },
        appPage,
      ),
    );
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(
      {
        permission,
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
        mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
      },
      appPage,
    ),
  );
  // HID, serial and USB devices: none of the console's business.
  session.setDevicePermissionHandler(() => false);

  const policy = contentSecurityPolicy(appPage);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}

export interface AppWindowOptions {
  appPage: AppPage;
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
  allowDevTools: boolean;
}

export interface AppWindow {
  window: BrowserWindow;
  /** Settles when the app page has loaded (or failed to). */
  loaded: Promise<void>;
}

/**
 * Creates a hardened window and starts loading the app page into it. The window is returned
 * before the page has loaded so that the caller can register it at once: the page may call the
 * console over IPC before `loadURL` resolves, and the sender check only trusts known windows.
 */
export function createAppWindow(options: AppWindowOptions): AppWindow {
  const webPreferences: WebPreferences = hardenedWebPreferences({
    preloadPath: options.preloadPath,
    allowDevTools: options.allowDevTools,
  });
  const window = new BrowserWindow({
    title: '12345 热线坐席台 Hotline Console',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    // Shown once painted, so the operator never sees a white flash.
    show: false,
    backgroundColor: '#f5f5f5',
    webPreferences,
  });
  hardenWebContents(window.webContents, options.appPage);
  hardenSession(window.webContents.session, options.appPage);
  window.once('ready-to-show', () => window.show());
  return { window, loaded: window.loadURL(options.appPage.url) };
}
