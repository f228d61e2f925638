/**
 * electron-builder `afterPack` hook: puts better-sqlite3 built for Electron's ABI (what
 * scripts/build-electron-sqlite.mjs writes to .electron-native/, as for `npm start`) into the
 * packaged app's app.asar.unpacked, in place of the Node build copied from node_modules.
 *
 * Why not electron-builder's own native rebuild (`npmRebuild`): it rebuilds inside the project's
 * node_modules, so after packaging the tests, the CLI and the server (plain Node) could no longer
 * load better-sqlite3 — and a rebuild cut short leaves no addon at all.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arch, type AfterPackContext } from 'electron-builder';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = path.join(ROOT, '.electron-native', 'better_sqlite3.node');
const STAMP = path.join(ROOT, '.electron-native', 'stamp.json');
const ADDON = path.join('app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/**
 * Set by the packaging test only: it runs the packaged layout in plain Node, which needs the Node
 * build that electron-builder copied, so the Electron build is left out.
 */
export const KEEP_NODE_SQLITE_ENV = 'QCKSTRT_PACKAGE_KEEP_NODE_SQLITE';

export default function placeElectronSqlite(context: AfterPackContext): void {
  if (process.env[KEEP_NODE_SQLITE_ENV] === '1') return;
  const arch = Arch[context.arch];
  if (!existsSync(BUILT) || !existsSync(STAMP)) {
    throw new Error('.electron-native/better_sqlite3.node is missing: run `node scripts/build-electron-sqlite.mjs` (npm run package does) first.');
  }
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { arch: string };
  if (stamp.arch !== arch) {
    throw new Error(`.electron-native/better_sqlite3.node is built for ${stamp.arch}, the package is for ${arch}: package on a ${arch} machine.`);
  }
  const target = path.join(context.packager.getResourcesDir(context.appOutDir), ADDON);
  if (!existsSync(target)) throw new Error(`${target} is missing: better-sqlite3 is not unpacked (electron-builder.ts asarUnpack)`);
  copyFileSync(BUILT, target);
}
