// What the packaged main bundle (out/main/index.js) imports from `electron`, for a run in plain
// Node where no Electron binary exists. It models a packaged app (`isPackaged` true, the app at
// resources/app.asar) and records what the shell does, with no window, menu or key store behind
// it: the app's core — service, stores, workers, model — runs for real. The driver,
// run-packaged-app.mjs, calls the IPC handlers the app registers, as the window would.
import { EventEmitter } from 'node:events';
import path from 'node:path';

const noop = () => {};

class StandInApp extends EventEmitter {
  isPackaged = true;
  getAppPath() {
    return path.join(process.resourcesPath, 'app.asar');
  }
  getPath(name) {
    if (name === 'userData') return process.env.QCKSTRT_TEST_USER_DATA;
    throw new Error(`app.getPath(${name}) is not modelled`);
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  isReady() {
    return true;
  }
  quit() {
    this.emit('stand-in:quit');
  }
  setAboutPanelOptions = noop;
  showAboutPanel = noop;
}

export const app = new StandInApp();

export const ipcMain = {
  handlers: new Map(),
  handle(channel, handler) {
    this.handlers.set(channel, handler);
  },
  removeHandler(channel) {
    this.handlers.delete(channel);
  },
};

class StandInWebContents extends EventEmitter {
  mainFrame = { url: 'about:blank', parent: null, processId: 1, frameToken: 'main-frame' };
  /** Every event the app pushed to the window: [channel, payload]. */
  sent = [];
  send(channel, payload) {
    this.sent.push([channel, payload]);
    this.emit('stand-in:sent', channel, payload);
  }
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.mainFrame.url;
  }
  setWindowOpenHandler = noop;
}

export class BrowserWindow extends EventEmitter {
  static instances = [];
  webContents = new StandInWebContents();
  constructor(options) {
    super();
    this.options = options;
    BrowserWindow.instances.push(this);
  }
  async loadURL(url) {
    this.webContents.mainFrame.url = url;
  }
  async loadFile(file) {
    this.webContents.mainFrame.url = `file://${file}`;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1200, height: 800 };
  }
  setBackgroundColor = noop;
  show = noop;
  focus = noop;
  restore = noop;
  maximize = noop;
}

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: noop },
    setPermissionRequestHandler: noop,
    setPermissionCheckHandler: noop,
  },
};

export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' });

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: noop,
};

export const dialog = {
  showMessageBox: async () => ({ response: 0 }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};

export const shell = {
  openExternal: async () => {},
  openPath: async () => '',
  showItemInFolder: noop,
};

// No OS key store here: the app falls back to its 0600 secrets file, as on Linux without a keyring.
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('no key store');
  },
  decryptString: () => {
    throw new Error('no key store');
  },
};

export default { app, ipcMain, BrowserWindow, session, nativeTheme, screen, Menu, dialog, shell, safeStorage };
