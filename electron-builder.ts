/**
 * electron-builder configuration: `npm run package` (electron-vite build, then electron-builder)
 * makes an AppImage and a deb on Linux, a dmg on macOS and an NSIS installer on Windows, in dist/.
 *
 * What goes where in the installed app (`process.resourcesPath` is its resources/ folder):
 *
 *   resources/app.asar            package.json, out/ (main, preload, renderer) and the production
 *                                 dependencies; devDependencies, sources, tests, bench and docs
 *                                 are never packaged.
 *   resources/app.asar.unpacked/  real files, for what cannot be read from inside an archive:
 *     out/main/{embed,parse}-worker.js, out/main/chunks/
 *                                 the worker threads' scripts. Worker threads have long been
 *                                 unable to load from inside an archive (electron/electron#22446),
 *                                 and their ESM imports and native addons depend on Electron's
 *                                 loader patches there; unpacked, the scripts and every package
 *                                 they import (the whole closure: Transformers.js with
 *                                 onnxruntime-node and sharp, pdf.js, mammoth, …) are plain files
 *                                 that resolve each other as in Node. electron/main/app-paths.ts
 *                                 points the workers here when packaged.
 *     node_modules/better-sqlite3, sqlite-vec, sqlite-vec-<platform>, onnxruntime-node
 *                                 native code: the OS loader needs real files (sqlite-vec's
 *                                 path is mapped to here by core/relational/asarUnpackedPath.ts).
 *   resources/models/             the bundled embedding models (extraResources), found through
 *                                 `resourcesDir` = `process.resourcesPath` (app-paths.ts).
 *
 * better-sqlite3 must be built for Electron's ABI: `npm run package` builds it into .electron-native/
 * (scripts/build-electron-sqlite.mjs, as `npm start` does) and the afterPack hook puts it into the
 * package (scripts/packaging/placeElectronSqlite.ts), leaving node_modules' Node build alone.
 * onnxruntime-node, sharp and sqlite-vec's loadable extension do not depend on the ABI.
 * test/packaging/packaged-layout.test.ts builds this layout and runs the app's core from it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';
import { packageClosure } from './scripts/packaging/packageClosure';
import placeElectronSqlite from './scripts/packaging/placeElectronSqlite';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The worker scripts (and the chunks they share with the main bundle), as electron-vite builds them. */
export const WORKER_SCRIPTS = ['out/main/embed-worker.js', 'out/main/parse-worker.js', 'out/main/chunks/**/*'];

/**
 * Packages the worker scripts import. The packaging test checks this list against the imports
 * of the built workers, so a new parser's package cannot be forgotten here.
 */
export const WORKER_PACKAGES = ['@huggingface/transformers', 'pdfjs-dist', 'mammoth', 'csv-parse', 'htmlparser2', 'yauzl'];

/** Native packages the main process loads (their JavaScript could stay packed; unpacking it all is simpler). */
export const MAIN_NATIVE_PACKAGES = ['better-sqlite3', 'sqlite-vec'];

/**
 * Folders to unpack: the workers' whole dependency closure, and the main process's native
 * packages with sqlite-vec's installed platform package (its optional dependency).
 */
export function unpackedPackageDirs(root: string = ROOT): string[] {
  const workers = packageClosure(root, WORKER_PACKAGES);
  const natives = packageClosure(root, MAIN_NATIVE_PACKAGES).filter(
    (dir) => dir === 'node_modules/better-sqlite3' || /^node_modules\/sqlite-vec(-[^/]+)?$/.test(dir),
  );
  return [...new Set([...workers, ...natives])].sort();
}

/**
 * What goes into app.asar besides package.json and the production dependencies (which
 * electron-builder always adds; core/ and electron/ are bundled into out/ by electron-vite, so no
 * source, test, bench or doc folder is packaged). Set per platform, not at the top level: the
 * builder turns a top-level list into a separate file set, and a platform list of exclusions
 * beside it would then include the whole repository.
 */
export function appFiles(platform: 'linux' | 'darwin' | 'win32'): string[] {
  return [
    'out/**/*',
    '!**/*.map',
    // Transformers.js bundles the onnxruntime-web build it uses; the package itself (141 MB of
    // browser WebAssembly) is never loaded in Node.
    '!node_modules/onnxruntime-web{,/**/*}',
    // The Chroma server's native bindings (417 MB) serve only the chromadb package's `run` CLI,
    // which the tests use; the app talks to Chroma as an HTTP client.
    '!node_modules/chromadb-js-bindings-*{,/**/*}',
    // onnxruntime-node ships every OS's binaries; each installer keeps its own OS's.
    ...['linux', 'darwin', 'win32'].filter((os) => os !== platform).map((os) => `!node_modules/onnxruntime-node/bin/napi-v6/${os}{,/**/*}`),
    // better-sqlite3's C sources and build intermediates: only build/Release/better_sqlite3.node runs.
    '!node_modules/better-sqlite3/{deps,src}{,/**/*}',
    '!node_modules/better-sqlite3/build/Release/{obj,obj.target,.deps}{,/**/*}',
    '!node_modules/better-sqlite3/build/Release/{test_extension.node,*.a}',
  ];
}

const config: Configuration = {
  appId: 'app.qckstrt.desktop',
  productName: 'qckstrt',
  copyright: 'Copyright © qckstrt contributors',
  directories: { output: 'dist' },
  asarUnpack: [...WORKER_SCRIPTS, ...unpackedPackageDirs().map((dir) => `${dir}/**/*`)],
  extraResources: [{ from: 'resources/models', to: 'models', filter: ['**/*'] }],
  // Not electron-builder's rebuild, which would replace the Node build in node_modules: see placeElectronSqlite.ts.
  npmRebuild: false,
  afterPack: placeElectronSqlite,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    // deb needs a maintainer; package.json has no author. `.invalid` is a reserved domain.
    maintainer: 'qckstrt <qckstrt@example.invalid>',
    files: appFiles('linux'),
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    files: appFiles('darwin'),
  },
  win: {
    target: ['nsis'],
    files: appFiles('win32'),
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
