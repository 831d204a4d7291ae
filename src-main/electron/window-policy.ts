// Every security decision the Electron shell makes, as plain functions. No `electron` import: the
// electron-importing files (window-factory.ts, ipc.ts, main.ts) only ask these questions, so the
// answers can be tested in Node where no Electron binary exists.

import { pathToFileURL } from 'node:url';

/**
 * The one page the app's windows may show. Production loads the built renderer from disk; an
 * unpackaged run under `electron-vite dev` loads it from the Vite dev server instead.
 */
export type AppPage =
  | { kind: 'file'; url: string }
  | { kind: 'dev-server'; url: string; origin: string };

export interface AppPageInputs {
  isPackaged: boolean;
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  /** Absolute path of out/renderer/index.html. */
  rendererHtmlPath: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function resolveAppPage(inputs: AppPageInputs): AppPage {
  const devServerUrl = inputs.devServerUrl?.trim();
  // A packaged app never takes its page from the environment: anyone who can set a variable
  // could otherwise point the operator's console at a page of their choosing.
  if (inputs.isPackaged || !devServerUrl) {
    return { kind: 'file', url: pathToFileURL(inputs.rendererHtmlPath).href };
  }
  let parsed: URL;
  try {
    parsed = new URL(devServerUrl);
  } catch {
    throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${devServerUrl}`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !loopbackHosts.has(parsed.hostname)) {
    throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL on this machine (localhost), got ${devServerUrl}`);
  }
  return { kind: 'dev-server', url: parsed.href, origin: parsed.origin };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function comparablePath(pathname: string, platform: NodeJS.Platform): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Windows paths are case-insensitive, and Chromium and Node may spell a drive letter differently.
  return platform === 'win32' ? decoded.toLowerCase() : decoded;
}

/**
 * Whether `url` is the app page itself. For the built renderer that is exactly one file (any query
 * or fragment): every other file on disk is someone else's. For the dev server it is its origin.
 */
export function isAppPageUrl(url: string, appPage: AppPage, platform: NodeJS.Platform = process.platform): boolean {
  const candidate = parseUrl(url);
  if (candidate === null) return false;
  if (appPage.kind === 'dev-server') return candidate.origin === appPage.origin;
  const page = new URL(appPage.url);
  if (candidate.protocol !== 'file:' || candidate.host !== page.host) return false;
  const candidatePath = comparablePath(candidate.pathname, platform);
  return candidatePath !== null && candidatePath === comparablePath(page.pathname, platform);
}

/** `will-navigate`, `will-frame-navigate` and `will-redirect`: the app is a single page and never leaves it. */
export function isNavigationAllowed(url: string, appPage: AppPage, platform: NodeJS.Platform = process.platform): boolean {
  return isAppPageUrl(url, appPage, platform);
}

export interface WindowOpenDecision {
  action: 'deny';
  /** Web links open in the operator's own browser, outside the console. */
  openExternally: boolean;
}

/** `setWindowOpenHandler`: the console never opens a second window of its own. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  const parsed = parseUrl(url);
  const isWebLink = parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  return { action: 'deny', openExternally: isWebLink };
}

/**
 * The webPreferences of every app window. Literal types let the window factory assign this to
 * Electron's `WebPreferences` and let a test assert each value.
 */
export interface HardenedWebPreferences {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webviewTag: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  devTools: boolean;
}

export function hardenedWebPreferences(options: { preloadPath: string; allowDevTools: boolean }): HardenedWebPreferences {
  return {
    preload: options.preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // The spell checker would download dictionaries from Google's servers, which a government
    // intranet neither reaches nor should be asked to.
    spellcheck: false,
    devTools: options.allowDevTools,
  };
}

/**
 * The Content-Security-Policy of the app's pages. No 'unsafe-eval' anywhere. antd's CSS-in-JS
 * writes <style> elements at run time, hence 'unsafe-inline' for styles only.
 *
 * src-renderer/index.html carries a <meta> policy too (browser mode relies on it, and header
 * delivery is not guaranteed for file:// pages); a page under both gets their intersection. This
 * one matches it, minus its WebSocket sources: Electron talks over IPC. The Vite dev server also
 * needs an inline module script (React refresh) and its HMR WebSocket; those two exceptions exist
 * only for an unpackaged dev run.
 */
export function contentSecurityPolicy(appPage: AppPage): string {
  const isDevServer = appPage.kind === 'dev-server';
  const devSocket = isDevServer ? ' ' + appPage.origin.replace(/^http/, 'ws') : '';
  const directives: Array<[string, string]> = [
    ['default-src', "'self'"],
    ['script-src', isDevServer ? "'self' 'unsafe-inline'" : "'self'"],
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self' data:"],
    ['connect-src', "'self'" + devSocket],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The response headers with our policy in place of any the response carried. */
export function withContentSecurityPolicy(
  responseHeaders: Record<string, string | string[]> | undefined,
  policy: string,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(responseHeaders ?? {})) {
    const lowerName = name.toLowerCase();
    if (lowerName === 'content-security-policy' || lowerName === 'content-security-policy-report-only') continue;
    headers[name] = value;
  }
  headers['Content-Security-Policy'] = [policy];
  return headers;
}

export interface PermissionRequestFacts {
  permission: string;
  /** The URL of the frame asking; for a check without a document this may be missing. */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
  /** For `media` requests: which devices. Undefined or 'unknown' when Chromium does not say. */
  mediaTypes: ReadonlyArray<'audio' | 'video' | 'unknown'> | undefined;
}

/**
 * Permission requests and checks: only the microphone, only for the app page's main frame. The
 * console captures the operator's headset and the line audio; it has no use for a camera,
 * notifications, geolocation or any device API, and Electron's default would grant them all.
 */
export function isPermissionAllowed(request: PermissionRequestFacts, appPage: AppPage, platform: NodeJS.Platform = process.platform): boolean {
  if (request.permission !== 'media') return false;
  if (!request.isMainFrame || request.requestingUrl === undefined) return false;
  if (!isAppPageUrl(request.requestingUrl, appPage, platform)) return false;
  return !(request.mediaTypes ?? []).includes('video');
}

export interface SenderFacts {
  /** `event.sender.id`. */
  webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame has gone. */
  frameUrl: string | null;
  /** Whether the sending frame is its page's top frame. */
  isMainFrame: boolean;
}

/**
 * Every IPC message is checked here before the console sees it: it must come from the top frame
 * of one of our windows, showing the app page. Anything else (a frame that navigated, an iframe,
 * a webContents we did not create) is refused.
 */
export function isTrustedSender(
  sender: SenderFacts,
  trusted: { windowWebContentsIds: Iterable<number>; appPage: AppPage },
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  let isOurWindow = false;
  for (const id of trusted.windowWebContentsIds) {
    if (id === sender.webContentsId) {
      isOurWindow = true;
      break;
    }
  }
  return isOurWindow && isAppPageUrl(sender.frameUrl, trusted.appPage, platform);
}
