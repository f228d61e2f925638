/**
 * Which installed packages a set of packages needs at run time, found the way Node finds them:
 * each dependency is looked up in the dependent's own node_modules, then in every node_modules
 * above it, up to the project root. Used by electron-builder.ts (what to unpack from the asar)
 * and by the packaging test (what the app's node_modules holds).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The folder Node would load `name` from when required from `fromDir`, or undefined. */
function locate(root: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Folders (relative to `root`, with forward slashes: `node_modules/mammoth`,
 * `node_modules/foo/node_modules/bar`) of `roots` and everything they depend on, sorted.
 * A missing required package is an error; a missing optional one (another platform's binary
 * package, say) is skipped, as npm skips installing it.
 */
export function packageClosure(root: string, roots: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, name: string, optional: boolean): void => {
    const dir = locate(root, fromDir, name);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} is not installed (needed from ${path.relative(root, fromDir) || 'the project'}): run npm install`);
    }
    const rel = path.relative(root, dir).split(path.sep).join('/');
    if (found.has(rel)) return;
    found.add(rel);
    const pkg = readPackageJson(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dir, dep, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dir, dep, true);
  };
  for (const name of roots) visit(root, name, false);
  return [...found].sort();
}

/** The project's production dependencies (package.json `dependencies`) and what they need. */
export function productionClosure(root: string): string[] {
  const pkg = readPackageJson(root);
  return packageClosure(root, [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
}
