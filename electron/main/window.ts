import { BrowserWindow, type WebPreferences } from 'electron';
import type { AppOrigin } from './app-origin';
import { hardenWebContents } from './web-contents-guards';

/**
 * The renderer gets no Node, runs in Chromium's sandbox, and sees the main world only through
 * the preload's `contextBridge` (window.kb, window.kbPlatform).
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Dropping a file on the window is handled by the app, never by navigating to it.
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

export function createMainWindow(opts: { preloadPath: string; origin: AppOrigin }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'qckstrt',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  hardenWebContents(win.webContents, opts.origin);
  win.once('ready-to-show', () => win.show());

  const loading =
    opts.origin.kind === 'dev'
      ? win.loadURL(opts.origin.url)
      : win.loadURL(opts.origin.indexUrl);
  loading.catch((err: unknown) => {
    console.error('[qckstrt] could not load the window:', err instanceof Error ? err.message : err);
  });
  return win;
}
