import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths, type AppPathInputs } from '../../electron/main/app-paths';

const base: AppPathInputs = {
  isPackaged: false,
  appPath: '/repo',
  resourcesPath: '/opt/qckstrt/resources',
  userDataPath: '/home/u/.config/qckstrt',
  mainDir: '/repo/out/main',
  env: {},
};

describe('resolveAppPaths', () => {
  it('uses userData, the repo resources and the bundles beside out/main in development', () => {
    const p = resolveAppPaths(base, () => false);
    expect(p).toEqual({
      dataDir: '/home/u/.config/qckstrt',
      resourcesDir: path.join('/repo', 'resources'),
      embedWorkerPath: path.join('/repo/out/main', 'embed-worker.js'),
      parseWorkerPath: path.join('/repo/out/main', 'parse-worker.js'),
      preloadPath: path.join('/repo/out/preload', 'index.cjs'),
      rendererIndexHtml: path.join('/repo/out/renderer', 'index.html'),
    });
  });

  it('honours QCKSTRT_DATA_DIR and the packaged resources folder', () => {
    const p = resolveAppPaths({ ...base, isPackaged: true, env: { QCKSTRT_DATA_DIR: '/data/kb' } }, () => true);
    expect(p.dataDir).toBe('/data/kb');
    expect(p.resourcesDir).toBe('/opt/qckstrt/resources');
    // Packagers rebuild native modules in place; the development-only Electron build is ignored.
    expect(p.sqliteNativeBinding).toBeUndefined();
  });

  it('takes the worker scripts from app.asar.unpacked when packaged, the rest from inside the asar', () => {
    const resources = path.join('/opt', 'qckstrt', 'resources');
    const asar = path.join(resources, 'app.asar');
    const p = resolveAppPaths({ ...base, isPackaged: true, resourcesPath: resources, appPath: asar, mainDir: path.join(asar, 'out', 'main') }, () => false);
    expect(p.resourcesDir).toBe(resources);
    expect(p.embedWorkerPath).toBe(path.join(resources, 'app.asar.unpacked', 'out', 'main', 'embed-worker.js'));
    expect(p.parseWorkerPath).toBe(path.join(resources, 'app.asar.unpacked', 'out', 'main', 'parse-worker.js'));
    expect(p.preloadPath).toBe(path.join(asar, 'out', 'preload', 'index.cjs'));
    expect(p.rendererIndexHtml).toBe(path.join(asar, 'out', 'renderer', 'index.html'));
  });

  it('loads better-sqlite3 built for Electron when npm start has built it', () => {
    const wanted = path.join('/repo', '.electron-native', 'better_sqlite3.node');
    expect(resolveAppPaths(base, (f) => f === wanted).sqliteNativeBinding).toBe(wanted);
  });
});
