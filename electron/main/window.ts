import { BrowserWindow, type WebPreferences } from 'electron';
import type { AppOrigin } from './app-origin';
import { hardenWebContents } from './web-contents-guards';
import { DEFAULT_WINDOW_STATE, MIN_WINDOW_SIZE, type WindowState } from './window-state';

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

/** The page's `--bg` in each scheme (renderer/src/styles.css): painted before the page loads, so no white flash. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#131417' } as const;
export const windowBackground = (dark: boolean | undefined): string => (dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);

export interface MainWindowOptions {
  preloadPath: string;
  origin: AppOrigin;
  /** Size and place from the last run (window-state.ts); the default size otherwise. */
  state?: WindowState;
  /** The OS is in dark mode (`nativeTheme.shouldUseDarkColors`). */
  dark?: boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const state = opts.state ?? DEFAULT_WINDOW_STATE;
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'qckstrt',
    show: false,
    backgroundColor: windowBackground(opts.dark),
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  hardenWebContents(win.webContents, opts.origin);
  // maximize() also shows the window, so it waits for the first paint like show() does.
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });

  const loading =
    opts.origin.kind === 'dev'
      ? win.loadURL(opts.origin.url)
      : win.loadURL(opts.origin.indexUrl);
  loading.catch((err: unknown) => {
    console.error('[qckstrt] could not load the window:', err instanceof Error ? err.message : err);
  });
  return win;
}
