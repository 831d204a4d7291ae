import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  decideWindowOpen,
  hardenedWebPreferences,
  isAppPageUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedSender,
  resolveAppPage,
  withContentSecurityPolicy,
  type AppPage,
} from '../../../src-main/electron/window-policy';

const rendererHtmlPath = '/opt/hotline-console/out/renderer/index.html';
const filePage = resolveAppPage({ isPackaged: true, devServerUrl: undefined, rendererHtmlPath });
const appUrl = pathToFileURL(rendererHtmlPath).href;
const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererHtmlPath });

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('resolveAppPage', () => {
  it('loads the built renderer from disk in production', () => {
    expect(filePage).toEqual({ kind: 'file', url: appUrl });
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    expect(resolveAppPage({ isPackaged: true, devServerUrl: 'http://localhost:5173', rendererHtmlPath })).toEqual(filePage);
  });

  it('uses the dev server only when unpackaged', () => {
    expect(devPage).toEqual({ kind: 'dev-server', url: 'http://localhost:5173/', origin: 'http://localhost:5173' });
  });

  it('refuses a dev server that is not on this machine or not http', () => {
    expect(() => resolveAppPage({ isPackaged: false, devServerUrl: 'http://evil.example:5173', rendererHtmlPath })).toThrow(/localhost/);
    expect(() => resolveAppPage({ isPackaged: false, devServerUrl: 'file:///etc/passwd', rendererHtmlPath })).toThrow();
    expect(() => resolveAppPage({ isPackaged: false, devServerUrl: 'not a url', rendererHtmlPath })).toThrow();
  });
});

describe('hardenedWebPreferences', () => {
  const preferences = hardenedWebPreferences({ preloadPath: '/opt/hotline-console/out/preload/index.cjs', allowDevTools: false });

  it('sandboxes and isolates every window', () => {
    expect(preferences).toMatchObject({
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
      devTools: false,
    });
  });

  it('loads the CommonJS preload bundle', () => {
    expect(preferences.preload).toBe('/opt/hotline-console/out/preload/index.cjs');
  });

  it('has no option that would loosen the sandbox', () => {
    const loose = preferences as unknown as Record<string, unknown>;
    expect(loose.enableBlinkFeatures).toBeUndefined();
    expect(loose.additionalArguments).toBeUndefined();
  });
});

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy(filePage);
  const parsed = directives(policy);

  it('never allows eval', () => {
    expect(policy).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy(devPage)).not.toContain('unsafe-eval');
  });

  it('restricts everything to the app itself', () => {
    expect(parsed.get('default-src')).toEqual(["'self'"]);
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
    expect(parsed.get('img-src')).toEqual(["'self'", 'data:']);
    expect(parsed.get('font-src')).toEqual(["'self'", 'data:']);
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('base-uri')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows inline styles (antd CSS-in-JS) but no inline scripts', () => {
    expect(parsed.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(parsed.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('allows no wildcard or remote source', () => {
    expect(policy).not.toMatch(/\*|https?:/);
  });

  it('opens the dev server only what Vite needs', () => {
    const dev = directives(contentSecurityPolicy(devPage));
    expect(dev.get('default-src')).toEqual(["'self'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
  });

  it('replaces any policy a response carried', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] },
      policy,
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] });
    expect(withContentSecurityPolicy(undefined, policy)).toEqual({ 'Content-Security-Policy': [policy] });
  });
});

describe('navigation', () => {
  it('allows the app page, with any fragment or query', () => {
    expect(isNavigationAllowed(appUrl, filePage)).toBe(true);
    expect(isNavigationAllowed(`${appUrl}#/cases`, filePage)).toBe(true);
    expect(isNavigationAllowed(`${appUrl}?tab=2`, filePage)).toBe(true);
  });

  it('refuses other origins', () => {
    for (const url of ['https://example.com/', 'http://localhost:5173/', 'javascript:alert(1)', 'data:text/html,hi', 'about:blank']) {
      expect(isNavigationAllowed(url, filePage), url).toBe(false);
    }
  });

  it('refuses other files, even next to the app page', () => {
    for (const url of [
      'file:///etc/passwd',
      pathToFileURL('/opt/hotline-console/out/renderer/other.html').href,
      pathToFileURL('/opt/hotline-console/out/renderer/').href,
      'file://evil-host/opt/hotline-console/out/renderer/index.html',
    ]) {
      expect(isNavigationAllowed(url, filePage), url).toBe(false);
    }
  });

  it('sees through percent-encoding and dot segments', () => {
    expect(isNavigationAllowed(appUrl.replace('index.html', '%69ndex.html'), filePage)).toBe(true);
    expect(isNavigationAllowed(appUrl.replace('renderer/index.html', 'renderer/../renderer/index.html'), filePage)).toBe(true);
    expect(isNavigationAllowed(appUrl.replace('renderer/index.html', 'renderer/x/../../secret.html'), filePage)).toBe(false);
  });

  it('handles a data folder with non-ASCII names', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: undefined, rendererHtmlPath: '/home/坐席/app/out/renderer/index.html' });
    expect(isAppPageUrl('file:///home/坐席/app/out/renderer/index.html', page)).toBe(true);
    expect(isAppPageUrl(page.url, page)).toBe(true);
  });

  it('compares Windows paths without regard to case', () => {
    const page: AppPage = { kind: 'file', url: 'file:///C:/Program%20Files/Hotline/out/renderer/index.html' };
    expect(isAppPageUrl('file:///c:/program files/hotline/out/renderer/index.html', page, 'win32')).toBe(true);
    expect(isAppPageUrl('file:///c:/program files/hotline/out/renderer/index.html', page, 'linux')).toBe(false);
  });

  it('allows the dev server origin only', () => {
    expect(isNavigationAllowed('http://localhost:5173/#/cases', devPage)).toBe(true);
    expect(isNavigationAllowed('http://localhost:5174/', devPage)).toBe(false);
    expect(isNavigationAllowed('http://127.0.0.1:5173/', devPage)).toBe(false);
    expect(isNavigationAllowed(appUrl, devPage)).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('always denies, and sends only web links to the operating system', () => {
    expect(decideWindowOpen('https://www.gov.cn/')).toEqual({ action: 'deny', openExternally: true });
    expect(decideWindowOpen('http://12345.example/')).toEqual({ action: 'deny', openExternally: true });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'ms-msdt:foo', appUrl, 'garbage']) {
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny', openExternally: false });
    }
  });
});

describe('isPermissionAllowed', () => {
  const microphone = { permission: 'media', requestingUrl: appUrl, isMainFrame: true, mediaTypes: ['audio'] as const };

  it('grants the microphone to the app page', () => {
    expect(isPermissionAllowed(microphone, filePage)).toBe(true);
    expect(isPermissionAllowed({ ...microphone, mediaTypes: undefined }, filePage)).toBe(true);
  });

  it('refuses the camera', () => {
    expect(isPermissionAllowed({ ...microphone, mediaTypes: ['audio', 'video'] }, filePage)).toBe(false);
  });

  it('refuses media to other pages and to sub-frames', () => {
    expect(isPermissionAllowed({ ...microphone, requestingUrl: 'https://example.com/' }, filePage)).toBe(false);
    expect(isPermissionAllowed({ ...microphone, requestingUrl: undefined }, filePage)).toBe(false);
    expect(isPermissionAllowed({ ...microphone, isMainFrame: false }, filePage)).toBe(false);
  });

  it('refuses every other permission', () => {
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'fileSystem', 'hid', 'unknown']) {
      expect(isPermissionAllowed({ ...microphone, permission }, filePage), permission).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  const trusted = { windowWebContentsIds: [3, 7], appPage: filePage };

  it('accepts the top frame of one of our windows showing the app page', () => {
    expect(isTrustedSender({ webContentsId: 7, frameUrl: `${appUrl}#/live`, isMainFrame: true }, trusted)).toBe(true);
  });

  it('refuses an unknown webContents', () => {
    expect(isTrustedSender({ webContentsId: 99, frameUrl: appUrl, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: appUrl, isMainFrame: true }, { ...trusted, windowWebContentsIds: [] })).toBe(false);
  });

  it('refuses a sub-frame, a vanished frame and a foreign page', () => {
    expect(isTrustedSender({ webContentsId: 3, frameUrl: appUrl, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: null, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'https://example.com/', isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'file:///tmp/evil.html', isMainFrame: true }, trusted)).toBe(false);
  });
});
