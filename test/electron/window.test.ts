import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import type { Session } from 'electron';
import { isAppUrl, resolveAppOrigin } from '../../electron/main/app-origin';
import { contentSecurityPolicy, installCspHeader } from '../../electron/main/csp';
import { denyPermissions } from '../../electron/main/web-contents-guards';
import { createMainWindow } from '../../electron/main/window';
import { FakeBrowserWindow, resetFakeElectron, session, shell } from './fake-electron';

const INDEX_HTML = '/opt/qckstrt/out/renderer/index.html';
const APP_URL = `file://${INDEX_HTML}`;
const PRELOAD = '/opt/qckstrt/out/preload/index.cjs';
const fileOrigin = resolveAppOrigin({ isPackaged: true, devServerUrl: undefined, rendererIndexHtml: INDEX_HTML });
const devOrigin = resolveAppOrigin({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererIndexHtml: INDEX_HTML });

beforeEach(() => resetFakeElectron());

function openWindow(origin = fileOrigin) {
  createMainWindow({ preloadPath: PRELOAD, origin });
  expect(FakeBrowserWindow.instances).toHaveLength(1);
  return FakeBrowserWindow.instances[0]!;
}

describe('main window', () => {
  it('is created with the secure web preferences and the preload', () => {
    const win = openWindow();
    expect(win.options.webPreferences).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.options.show).toBe(false);
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
  });

  it('loads the built index.html when packaged', () => {
    const win = openWindow();
    expect(win.loadURL).toHaveBeenCalledWith(APP_URL);
  });

  it('loads the dev server in development', () => {
    const win = openWindow(devOrigin);
    expect(win.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and non-web dev URLs', () => {
    expect(resolveAppOrigin({ isPackaged: true, devServerUrl: 'http://evil.example', rendererIndexHtml: INDEX_HTML })).toEqual(fileOrigin);
    expect(resolveAppOrigin({ isPackaged: false, devServerUrl: 'javascript:alert(1)', rendererIndexHtml: INDEX_HTML })).toEqual(fileOrigin);
  });
});

describe('navigation and new windows', () => {
  it('prevents navigation away from the app and opens web links externally', () => {
    const { webContents } = openWindow();
    expect(webContents.navigate('will-navigate', 'https://example.com/doc')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/doc');
  });

  it('prevents navigation to other files or schemes without opening them', () => {
    const { webContents } = openWindow();
    for (const url of ['file:///etc/passwd', 'file:///opt/qckstrt/out/renderer/x.html', 'javascript:alert(1)', 'data:text/html,x', 'smb://host/share']) {
      expect(webContents.navigate('will-navigate', url), url).toBe(true);
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it("allows the app's own page (a reload, a hash route)", () => {
    const { webContents } = openWindow();
    expect(webContents.navigate('will-navigate', `${APP_URL}#/settings`)).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('prevents redirects off the app', () => {
    const { webContents } = openWindow(devOrigin);
    expect(webContents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(webContents.navigate('will-redirect', 'http://localhost:5173/index.html')).toBe(false);
  });

  it('denies window.open; http(s) goes to the system browser, other schemes nowhere', () => {
    const { webContents } = openWindow();
    const open = webContents.windowOpenHandler!;
    expect(open({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    shell.openExternal.mockClear();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id', 'not a url', APP_URL]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('prevents <webview> from attaching', () => {
    const { webContents } = openWindow();
    expect(webContents.attachWebview()).toBe(true);
  });
});

describe('Content-Security-Policy header', () => {
  it('is strict for the built app', () => {
    const csp = contentSecurityPolicy(fileOrigin);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  });

  it('in development allows only what Vite needs, for the dev server origin', () => {
    const csp = contentSecurityPolicy(devOrigin);
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
  });

  it("is set on the app's responses, replacing any the server sent", () => {
    installCspHeader(session.defaultSession as unknown as Session, devOrigin);
    const r = session.defaultSession.respond('http://localhost:5173/', {
      'content-type': ['text/html'],
      'content-security-policy': ["default-src *"],
    });
    expect(r?.responseHeaders?.['Content-Security-Policy']).toEqual([contentSecurityPolicy(devOrigin)]);
    expect(r?.responseHeaders?.['content-security-policy']).toBeUndefined();
    expect(r?.responseHeaders?.['content-type']).toEqual(['text/html']);
  });

  it('leaves other responses alone', () => {
    installCspHeader(session.defaultSession as unknown as Session, devOrigin);
    expect(session.defaultSession.respond('devtools://devtools/bundled/index.html')).toEqual({});
  });
});

describe('permissions', () => {
  it('denies permission requests', () => {
    denyPermissions(session.defaultSession as unknown as Session, fileOrigin);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'clipboard-read', 'fileSystem']) {
      expect(session.defaultSession.request(p, APP_URL), p).toBe(false);
    }
    const check = session.defaultSession.permissionCheckHandler!;
    expect(check(null, 'media', 'file:///', { requestingUrl: APP_URL })).toBe(false);
  });

  it('lets only the app page write to the clipboard', () => {
    denyPermissions(session.defaultSession as unknown as Session, fileOrigin);
    expect(session.defaultSession.request('clipboard-sanitized-write', APP_URL)).toBe(true);
    expect(session.defaultSession.request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('matches the app page only', () => {
    expect(isAppUrl(fileOrigin, APP_URL)).toBe(true);
    expect(isAppUrl(fileOrigin, `${APP_URL}?x=1#/a`)).toBe(true);
    expect(isAppUrl(fileOrigin, 'file://otherhost/opt/qckstrt/out/renderer/index.html')).toBe(false);
    expect(isAppUrl(fileOrigin, 'garbage')).toBe(false);
    expect(isAppUrl(devOrigin, 'http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isAppUrl(devOrigin, 'http://127.0.0.1:5173/')).toBe(false);
  });
});
