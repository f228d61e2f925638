/**
 * Small fakes of the Electron APIs the shell uses, shared by the tests through
 * `vi.mock('electron', () => import('./fake-electron'))`. Only behaviour the shell relies on is
 * modelled; `resetFakeElectron()` puts everything back between tests.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

let nextProcessId = 1;

export class FakeWebFrameMain {
  parent: FakeWebFrameMain | null = null;
  readonly frameToken: string;
  constructor(
    public url: string,
    public processId = nextProcessId++,
  ) {
    this.frameToken = `token-${processId}-${Math.random().toString(36).slice(2)}`;
  }
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeWebFrameMain('about:blank');
  destroyed = false;
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly send = vi.fn();
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a navigation like Chromium does; returns whether it was prevented. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
  attachWebview(): boolean {
    let prevented = false;
    this.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, { src: 'https://x' });
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  maximized = false;
  /** Bounds when not maximised (what getNormalBounds returns); tests move the window by setting it. */
  normalBounds = { x: 0, y: 0, width: 1200, height: 800 };
  readonly maximize = vi.fn(() => {
    this.maximized = true;
  });
  readonly setBackgroundColor = vi.fn();
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn(() => {
    this.minimized = false;
  });
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.mainFrame.url = url;
  });
  readonly loadFile = vi.fn(async (file: string) => {
    this.webContents.mainFrame.url = `file://${file}`;
  });
  constructor(public readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.normalBounds };
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  ready = false;
  gotLock = true;
  appPath = '/fake/app';
  userData = '/fake/userData';
  version = '0.1.0';
  readonly setAboutPanelOptions = vi.fn();
  readonly showAboutPanel = vi.fn();
  private readyResolve: () => void = () => {};
  private readyPromise: Promise<void> = new Promise((r) => (this.readyResolve = r));
  readonly quit = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.gotLock);
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return this.version;
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    return `/fake/${name}`;
  }
  /** Test helper: resolve `whenReady()`. */
  becomeReady(): void {
    this.ready = true;
    this.readyResolve();
  }
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.ready = false;
    this.gotLock = true;
    this.appPath = '/fake/app';
    this.userData = '/fake/userData';
    this.version = '0.1.0';
    this.setAboutPanelOptions.mockClear();
    this.showAboutPanel.mockClear();
    this.readyPromise = new Promise((r) => (this.readyResolve = r));
    this.quit.mockReset();
    this.requestSingleInstanceLock.mockReset().mockImplementation(() => this.gotLock);
  }
}

export const app = new FakeApp();
export const BrowserWindow = FakeBrowserWindow;

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle: vi.fn((channel: string, handler: InvokeHandler) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMain.handlers.delete(channel);
  }),
};

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]>; cancel?: boolean }) => void,
) => void;
type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  origin: string,
  details: { requestingUrl?: string },
) => boolean;

class FakeSession {
  headersListener: HeadersListener | null = null;
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(h: PermissionRequestHandler): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler): void {
    this.permissionCheckHandler = h;
  }
  /** Test helper: run the headers listener as Chromium would. */
  respond(url: string, responseHeaders: Record<string, string[]> = {}) {
    let result: { responseHeaders?: Record<string, string | string[]>; cancel?: boolean } | undefined;
    if (!this.headersListener) throw new Error('no onHeadersReceived listener installed');
    this.headersListener({ url, responseHeaders }, (r) => (result = r));
    return result;
  }
  /** Test helper: ask for a permission; resolves to whether it was granted. */
  request(permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    if (!this.permissionRequestHandler) throw new Error('no permission request handler installed');
    this.permissionRequestHandler({ getURL: () => requestingUrl }, permission, (g) => (granted = g), { requestingUrl });
    return granted === true;
  }
}

export const session = { defaultSession: new FakeSession() };

export const shell = {
  openExternal: vi.fn(async (_url: string) => {}),
  /** Like Electron: resolves to '' when the file was opened, to the reason otherwise. */
  openPath: vi.fn(async (_path: string) => ''),
  showItemInFolder: vi.fn((_path: string) => {}),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn(),
};

export const Menu = {
  current: null as { template: unknown[] } | null,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: unknown[] } | null) => {
    Menu.current = menu;
  }),
};

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    if (key in contextBridge.exposed) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    contextBridge.exposed[key] = api;
  }),
};

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined);
}
export const ipcRenderer = new FakeIpcRenderer();

/** Models Chromium's OSCrypt: "encrypts" with a reversible marker so tests can see ciphertext is not plaintext. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable: vi.fn(() => safeStorage.available),
  getSelectedStorageBackend: vi.fn(() => safeStorage.backend),
  encryptString: vi.fn((plain: string) => {
    if (!safeStorage.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
  }),
  decryptString: vi.fn((sealed: Buffer) => {
    if (!safeStorage.available) throw new Error('Decryption is not available.');
    if (sealed.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(sealed.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  }),
};

class FakeNativeTheme extends EventEmitter {
  themeSource: 'system' | 'light' | 'dark' = 'system';
  shouldUseDarkColors = false;
}
export const nativeTheme = new FakeNativeTheme();

export const screen = {
  displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  getAllDisplays: vi.fn(() => screen.displays),
};

export const webUtils = { getPathForFile: vi.fn((file: { name: string }) => `/dropped/${file.name}`) };

export function resetFakeElectron(): void {
  app.reset();
  FakeBrowserWindow.instances = [];
  ipcMain.handlers.clear();
  ipcMain.handle.mockClear();
  ipcMain.removeHandler.mockClear();
  session.defaultSession = new FakeSession();
  shell.openExternal.mockClear();
  shell.openPath.mockReset().mockImplementation(async () => '');
  shell.showItemInFolder.mockClear();
  dialog.showOpenDialog.mockReset().mockImplementation(async () => ({ canceled: true, filePaths: [] }));
  dialog.showMessageBox.mockClear();
  dialog.showErrorBox.mockClear();
  Menu.current = null;
  Menu.buildFromTemplate.mockClear();
  Menu.setApplicationMenu.mockClear();
  contextBridge.exposed = {};
  contextBridge.exposeInMainWorld.mockClear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockReset().mockImplementation(async () => undefined);
  webUtils.getPathForFile.mockClear();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.isEncryptionAvailable.mockClear();
  safeStorage.encryptString.mockClear();
  safeStorage.decryptString.mockClear();
  nativeTheme.removeAllListeners();
  nativeTheme.themeSource = 'system';
  nativeTheme.shouldUseDarkColors = false;
  screen.displays = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  screen.getAllDisplays.mockClear();
}

/** An invoke event as the main process would see it from `contents`' main frame. */
export function invokeEventFrom(contents: FakeWebContents, frame: FakeWebFrameMain | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame, processId: frame?.processId ?? 0, frameId: 1 };
}
