import { existsSync } from 'node:fs';
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
  parseWorkerPath: string;
  preloadPath: string;
  rendererIndexHtml: string;
  /** better-sqlite3 built for Electron's ABI by `npm start` (development only; packagers rebuild in place). */
  sqliteNativeBinding?: string;
}

/**
 * Where everything lives. The bundles sit side by side in out/ (main/, preload/, renderer/), so
 * paths are taken relative to the main bundle rather than to the working directory.
 *
 * Packaged (electron-builder.ts), the main bundle runs from inside resources/app.asar, but the
 * worker threads' scripts are taken from resources/app.asar.unpacked/out/main, where the
 * packages they import are unpacked too: plain files load in a worker thread as in Node, without
 * relying on Electron's asar support there (long missing for workers, electron/electron#22446).
 */
export function resolveAppPaths(i: AppPathInputs, exists: (p: string) => boolean = existsSync): AppPaths {
  const dataDirFromEnv = i.env.QCKSTRT_DATA_DIR?.trim();
  const workerDir = i.isPackaged ? path.join(i.resourcesPath, 'app.asar.unpacked', path.relative(i.appPath, i.mainDir)) : i.mainDir;
  return {
    dataDir: dataDirFromEnv ? path.resolve(dataDirFromEnv) : i.userDataPath,
    resourcesDir: i.isPackaged ? i.resourcesPath : path.join(i.appPath, 'resources'),
    embedWorkerPath: path.join(workerDir, 'embed-worker.js'),
    parseWorkerPath: path.join(workerDir, 'parse-worker.js'),
    preloadPath: path.join(i.mainDir, '..', 'preload', 'index.cjs'),
    rendererIndexHtml: path.join(i.mainDir, '..', 'renderer', 'index.html'),
    ...(electronSqlite(i, exists) ? { sqliteNativeBinding: electronSqlite(i, exists) } : {}),
  };
}

/** The Electron-ABI better-sqlite3 that scripts/build-electron-sqlite.mjs writes, when present. */
function electronSqlite(i: AppPathInputs, exists: (p: string) => boolean): string | undefined {
  if (i.isPackaged) return undefined;
  const p = path.join(i.appPath, '.electron-native', 'better_sqlite3.node');
  return exists(p) ? p : undefined;
}
