import path from 'node:path';
import { app, ipcMain, nativeTheme, screen, session, type BrowserWindow } from 'electron';
import type { KbService, KbServiceOptions } from '../../core/service/options';
import { installAboutPanel } from './about';
import { isAppUrl, resolveAppOrigin } from './app-origin';
import { resolveAppPaths } from './app-paths';
import { installCspHeader } from './csp';
import { forwardKbEvents, registerKbIpc } from './ipc';
import { installAppMenu } from './menu';
import { createDesktopSecretStore } from './safe-storage-secrets';
import { denyPermissions, hardenWebContents } from './web-contents-guards';
import { createMainWindow, windowBackground } from './window';
import { WINDOW_STATE_FILE, loadWindowState, trackWindowState } from './window-state';

export interface StartAppOptions {
  createService: (options: KbServiceOptions) => Promise<KbService>;
  /** Folder of the built main bundle (out/main): preload, renderer and worker are found from it. */
  mainDir: string;
  env?: Record<string, string | undefined>;
  /** How long quitting waits for `service.close()` before giving up. */
  closeTimeoutMs?: number;
}

/**
 * The app's life: one instance, one window, one service. The window opens while the service
 * starts; IPC calls made before it is ready wait for it (see ipc.ts).
 */
export function startApp(opts: StartAppOptions): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const env = opts.env ?? process.env;
  const paths = resolveAppPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    userDataPath: app.getPath('userData'),
    mainDir: opts.mainDir,
    env,
  });
  const origin = resolveAppOrigin({
    isPackaged: app.isPackaged,
    devServerUrl: env.ELECTRON_RENDERER_URL,
    rendererIndexHtml: paths.rendererIndexHtml,
  });

  let win: BrowserWindow | null = null;
  const getWindow = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null);
  // Size and place of the window, remembered between runs (in userData: it belongs to this install).
  const windowStateFile = path.join(app.getPath('userData'), WINDOW_STATE_FILE);
  const openWindow = (): void => {
    const created = createMainWindow({
      preloadPath: paths.preloadPath,
      origin,
      state: loadWindowState(windowStateFile, screen.getAllDisplays()),
      dark: nativeTheme.shouldUseDarkColors,
    });
    trackWindowState(created, windowStateFile);
    created.on('closed', () => {
      if (win === created) win = null;
    });
    win = created;
  };

  let service: Promise<KbService> | null = null;
  let stopIpc: (() => void) | null = null;
  let stopEvents: (() => void) | null = null;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin));
  app.on('second-instance', () => {
    const w = getWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });

  void app.whenReady().then(() => {
    installCspHeader(session.defaultSession, origin);
    denyPermissions(session.defaultSession, origin);
    // Light or dark as the OS is; the page follows through prefers-color-scheme.
    nativeTheme.themeSource = 'system';
    nativeTheme.on('updated', () => getWindow()?.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors)));
    installAboutPanel();

    // Through a promise chain so that even a synchronous throw becomes the service's error.
    service = Promise.resolve().then(() =>
      opts.createService({
        dataDir: paths.dataDir,
        resourcesDir: paths.resourcesDir,
        embedWorkerPath: paths.embedWorkerPath,
        parseWorkerPath: paths.parseWorkerPath,
        ...(paths.sqliteNativeBinding ? { sqliteNativeBinding: paths.sqliteNativeBinding } : {}),
        env,
        // Passwords encrypted with the OS key store (a 0600 file where there is none).
        secrets: createDesktopSecretStore(paths.dataDir),
      }),
    );
    service.then(
      (s) => {
        stopEvents = forwardKbEvents(s, getWindow);
      },
      (err: unknown) => {
        // Every IPC call now answers with this error, so the window can say what went wrong.
        console.error('[qckstrt] the knowledge base service did not start:', err);
      },
    );
    stopIpc = registerKbIpc({
      ipcMain,
      service,
      getWindow,
      isAppUrl: (url) => isAppUrl(origin, url),
    });
    installAppMenu({ service, getWindow, isPackaged: app.isPackaged });
    openWindow();
  });

  app.on('activate', () => {
    if (app.isReady() && !getWindow()) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quit waits for the service to close (finish the current write, stop the worker, close the
  // database), bounded so a stuck close cannot keep the app alive.
  let closed = false;
  let closing = false;
  app.on('will-quit', (event) => {
    if (closed || !service) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    stopEvents?.();
    stopIpc?.();
    const timeoutMs = opts.closeTimeoutMs ?? 5000;
    const running = service;
    void Promise.race([
      running.then((s) => s.close()),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref?.()),
    ])
      .catch((err: unknown) => console.error('[qckstrt] closing the service failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
