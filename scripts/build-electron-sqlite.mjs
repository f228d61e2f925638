// Builds better-sqlite3's native addon for Electron's ABI into .electron-native/, leaving the
// copy in node_modules (built for Node: CLI, server, tests) alone. The Electron main process loads
// this one through better-sqlite3's `nativeBinding` option. Packaged builds do the same through
// the packager's native rebuild. Needs Electron's headers, which node-gyp downloads once.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const outDir = join(root, '.electron-native');
const stamp = join(outDir, 'stamp.json');
const wanted = JSON.stringify({ electronVersion, sqliteVersion, arch: process.arch });

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(join(outDir, 'better_sqlite3.node'))) {
  process.exit(0);
}
const work = join(outDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
// node-gyp as npm ships it; run directly (not through npx) so npm's config stays out of it.
const nodeGyp =
  process.env.npm_config_node_gyp ??
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}…`);
try {
  execFileSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], {
    cwd: work,
    stdio: 'inherit',
    // A machine-wide npm `nodedir` (Node's own headers) would silently build for Node's ABI.
    env,
  });
  assertNotNodeAbi(join(work, 'build', 'Release', 'better_sqlite3.node'));
} catch (err) {
  console.error(
    `Could not build better-sqlite3 for Electron: ${err.message.split('\n')[0]}\n` +
      'node-gyp needs to download Electron headers once (from electronjs.org).\n' +
      'The CLI (npm run kb) and the browser UI (npm run serve) work without it.',
  );
  process.exit(1);
}
function assertNotNodeAbi(addon) {
  try {
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { stdio: 'pipe' });
  } catch {
    return; // Node refuses it: built for another ABI, as wanted.
  }
  throw new Error('the addon was built against Node\'s headers, not Electron\'s');
}

cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, wanted);
console.log('Built .electron-native/better_sqlite3.node');
