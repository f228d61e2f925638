import path from 'node:path';

export interface AppPathInputs {
  /** `app.isPackaged`. */
  isPackaged: boolean;
  /** `app.getAppPath()`: the project root in development, the app.asar in a package. */
  appPath: string;
  /** `process.resourcesPath` (only meaningful when packaged). */
  resourcesPath: string;
  /** `app.getPath('userData')`. */
  userDataPath: string;
  /** Folder holding the built main bundle (out/main). */
  mainDir: string;
  env: Record<string, string | undefined>;
}

export interface AppPaths {
  dataDir: string;
  resourcesDir: string;
  embedWorkerPath: string;
  preloadPath: string;
  rendererIndexHtml: string;
}

/**
 * Where everything lives. The bundles sit side by side in out/ (main/, preload/, renderer/), so
 * paths are taken relative to the main bundle rather than to the working directory.
 */
export function resolveAppPaths(i: AppPathInputs): AppPaths {
  const dataDirFromEnv = i.env.QCKSTRT_DATA_DIR?.trim();
  return {
    dataDir: dataDirFromEnv ? path.resolve(dataDirFromEnv) : i.userDataPath,
    resourcesDir: i.isPackaged ? i.resourcesPath : path.join(i.appPath, 'resources'),
    embedWorkerPath: path.join(i.mainDir, 'embed-worker.js'),
    preloadPath: path.join(i.mainDir, '..', 'preload', 'index.cjs'),
    rendererIndexHtml: path.join(i.mainDir, '..', 'renderer', 'index.html'),
  };
}
