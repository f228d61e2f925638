import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import { KB_METHODS, ipcChannel, ipcEventChannel } from '../../core/api/channels';
import { KbError } from '../../core/api/errors';
import type { KbService, KbServiceOptions } from '../../core/service/options';
import { startApp } from '../../electron/main/lifecycle';
import { SafeStorageSecretStore } from '../../electron/main/safe-storage-secrets';
import { WINDOW_STATE_FILE } from '../../electron/main/window-state';
import { WINDOW_BACKGROUND } from '../../electron/main/window';
import { tempDir } from '../helpers/tempDir';
import { FakeBrowserWindow, Menu, app, invokeEventFrom, ipcMain, nativeTheme, resetFakeElectron, safeStorage, session } from './fake-electron';
import { createFakeService } from './fake-service';

const MAIN_DIR = '/opt/qckstrt/out/main';
const flush = () => new Promise((r) => setTimeout(r, 0));

function start(env: Record<string, string | undefined> = {}, createService?: (o: KbServiceOptions) => Promise<KbService>) {
  const fake = createFakeService();
  const create = vi.fn(createService ?? (async () => fake.service));
  startApp({ createService: create, mainDir: MAIN_DIR, env, closeTimeoutMs: 200 });
  return { fake, create };
}

async function ready() {
  app.becomeReady();
  await flush();
  const win = FakeBrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window was created');
  return win;
}

function quit() {
  let prevented = false;
  app.emit('will-quit', { preventDefault: () => (prevented = true) });
  return prevented;
}

beforeEach(() => resetFakeElectron());

describe('startApp', () => {
  it('quits at once when another instance holds the lock', () => {
    app.gotLock = false;
    const { create } = start();
    expect(app.quit).toHaveBeenCalled();
    expect(app.listenerCount('will-quit')).toBe(0);
    expect(create).not.toHaveBeenCalled();
  });

  it('on ready: creates the service with the app paths, registers every handler, opens one secure window', async () => {
    const { create } = start();
    expect(FakeBrowserWindow.instances).toHaveLength(0); // nothing before ready
    const win = await ready();
    expect(create).toHaveBeenCalledExactlyOnceWith({
      dataDir: '/fake/userData',
      resourcesDir: path.join('/fake/app', 'resources'),
      embedWorkerPath: path.join(MAIN_DIR, 'embed-worker.js'),
      parseWorkerPath: path.join(MAIN_DIR, 'parse-worker.js'),
      env: {},
      secrets: expect.any(SafeStorageSecretStore),
    });
    expect([...ipcMain.handlers.keys()].sort()).toEqual(KB_METHODS.map(ipcChannel).sort());
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join('/opt/qckstrt/out/preload/index.cjs'),
    });
    expect(win.loadURL).toHaveBeenCalledWith('file:///opt/qckstrt/out/renderer/index.html');
    expect(session.defaultSession.headersListener).not.toBeNull();
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('QCKSTRT_DATA_DIR overrides userData; packaged apps read resources from process.resourcesPath', async () => {
    app.isPackaged = true;
    const resourcesPath = process.resourcesPath;
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/qckstrt/resources', configurable: true });
    try {
      const { create } = start({ QCKSTRT_DATA_DIR: '/tmp/kb-data', ELECTRON_RENDERER_URL: 'http://localhost:5173' });
      const win = await ready();
      expect(create.mock.calls[0]![0]).toMatchObject({ dataDir: '/tmp/kb-data', resourcesDir: '/opt/qckstrt/resources' });
      // packaged: the dev server URL is ignored
      expect(win.loadURL).toHaveBeenCalledWith('file:///opt/qckstrt/out/renderer/index.html');
    } finally {
      Object.defineProperty(process, 'resourcesPath', { value: resourcesPath, configurable: true });
    }
  });

  it('loads the dev server in development', async () => {
    start({ ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    const win = await ready();
    expect(win.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
  });

  it('answers IPC from the window end to end, and forwards core events to it', async () => {
    const { fake } = start();
    const win = await ready();
    await win.loadURL.mock.results[0]!.value;
    const handler = ipcMain.handlers.get(ipcChannel('search'))!;
    expect(await handler(invokeEventFrom(win.webContents), { query: 'ok' })).toMatchObject({ ok: true });
    fake.emit('ingestProgress', { jobId: 'j', batchId: 'b', fileName: 'a.md', state: 'done', chunksDone: 1, chunksTotal: 1, updatedAt: 'now' });
    expect(win.webContents.send).toHaveBeenCalledWith(ipcEventChannel('ingestProgress'), expect.objectContaining({ jobId: 'j' }));
  });

  it('a second instance focuses (and restores) the window', async () => {
    start();
    const win = await ready();
    win.minimized = true;
    app.emit('second-instance', {}, [], '/');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('quits when the window closes (not on macOS), and reopens one on activate', async () => {
    start();
    const win = await ready();
    win.close();
    if (process.platform !== 'darwin') {
      app.emit('window-all-closed');
      expect(app.quit).toHaveBeenCalled();
    }
    app.emit('activate');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });

  it('quitting waits for service.close(), then quits for real', async () => {
    const { fake } = start();
    await ready();
    expect(quit()).toBe(true);
    expect(quit()).toBe(true); // a second quit while closing does not close twice
    await flush();
    expect(fake.close).toHaveBeenCalledOnce();
    expect(app.quit).toHaveBeenCalledOnce();
    expect(ipcMain.handlers.size).toBe(0);
    expect(quit()).toBe(false); // the real quit goes through
  });

  it('quits even when close hangs (bounded wait)', async () => {
    const { fake } = start();
    await ready();
    fake.close.mockImplementation(() => new Promise<void>(() => {}));
    quit();
    await new Promise((r) => setTimeout(r, 300));
    expect(app.quit).toHaveBeenCalledOnce();
  });

  it('if the service fails to start, the window still opens and every call says why', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    start({}, async () => {
      throw new KbError('ProviderUnavailable', 'Cannot open the database in /x');
    });
    const win = await ready();
    await win.loadURL.mock.results[0]!.value;
    const handler = ipcMain.handlers.get(ipcChannel('getStatus'))!;
    expect(await handler(invokeEventFrom(win.webContents), undefined)).toEqual({
      ok: false,
      error: { kind: 'ProviderUnavailable', message: 'Cannot open the database in /x' },
    });
    expect(quit()).toBe(true);
    await flush();
    expect(app.quit).toHaveBeenCalledOnce();
    err.mockRestore();
  });
});

describe('startApp: desktop conventions', () => {
  it('follows the OS theme, sets the About panel, and reopens the window where it was left', async () => {
    const dir = tempDir();
    try {
      app.userData = dir.path;
      nativeTheme.themeSource = 'light';
      nativeTheme.shouldUseDarkColors = true;
      writeFileSync(path.join(dir.path, WINDOW_STATE_FILE), JSON.stringify({ x: 140, y: 90, width: 1000, height: 700, maximized: true }));
      start();
      const win = await ready();
      expect(nativeTheme.themeSource).toBe('system');
      expect(win.options).toMatchObject({ x: 140, y: 90, width: 1000, height: 700, backgroundColor: WINDOW_BACKGROUND.dark });
      expect(app.setAboutPanelOptions).toHaveBeenCalledWith(expect.objectContaining({ applicationName: 'qckstrt', applicationVersion: '0.1.0' }));
      win.emit('ready-to-show');
      expect(win.maximize).toHaveBeenCalled();
      // The OS switches to light mode while the app runs.
      nativeTheme.shouldUseDarkColors = false;
      nativeTheme.emit('updated');
      expect(win.setBackgroundColor).toHaveBeenCalledWith(WINDOW_BACKGROUND.light);
      expect(Menu.current?.template.length).toBeGreaterThan(0);

      // Moved and closed: the next start opens it there.
      win.maximized = false;
      win.normalBounds = { x: 300, y: 200, width: 900, height: 600 };
      win.emit('close', { preventDefault() {} });
      expect(JSON.parse(readFileSync(path.join(dir.path, WINDOW_STATE_FILE), 'utf8'))).toEqual({ x: 300, y: 200, width: 900, height: 600, maximized: false });
    } finally {
      dir.cleanup();
    }
  });

  it('passes the service a secret store on safeStorage, or the 0600 file when the OS cannot encrypt', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      safeStorage.available = false;
      const { create } = start();
      await ready();
      const secrets = create.mock.calls[0]![0].secrets!;
      expect(secrets).not.toBeInstanceOf(SafeStorageSecretStore);
      expect(secrets.description).toMatch(/0600/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no key store/));
    } finally {
      warn.mockRestore();
    }
  });
});

describe('startApp when the service factory throws synchronously', () => {
  it('still opens the window and reports the error on every call', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    start({}, () => {
      throw new Error('bad options');
    });
    const win = await ready();
    await win.loadURL.mock.results[0]!.value;
    const handler = ipcMain.handlers.get(ipcChannel('listJobs'))!;
    expect(await handler(invokeEventFrom(win.webContents), undefined)).toEqual({
      ok: false,
      error: { kind: 'Internal', message: 'bad options' },
    });
    err.mockRestore();
  });
});
