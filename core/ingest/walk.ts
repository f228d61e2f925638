import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { mimeTypeFor } from './parsers';

/** Folder names never indexed when walking a dropped folder. */
export const DEFAULT_EXCLUDED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

export interface FoundFile {
  path: string;
  name: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** Paths that do not exist or cannot be read, with why. */
  missing: { path: string; reason: string }[];
}

/**
 * Expands dropped paths into files. A file named explicitly is always returned (an unsupported one
 * then fails with a clear reason); inside folders, only supported files are taken, hidden entries
 * and DEFAULT_EXCLUDED_DIRS are skipped, and symlink loops are cut by tracking real paths.
 */
export async function expandPaths(paths: string[]): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const missing: WalkResult['missing'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = async (p: string) => {
    const real = await realpath(p).catch(() => p);
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ path: p, name: basename(p) });
  };

  const walkDir = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (seenDirs.has(real)) return; // a symlink loop or a folder dropped twice
    seenDirs.add(real);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || DEFAULT_EXCLUDED_DIRS.has(e.name)) continue;
      const p = join(dir, e.name);
      const s = e.isSymbolicLink() ? await stat(p).catch(() => undefined) : e;
      if (!s) continue; // dangling link
      if (s.isDirectory()) await walkDir(p);
      else if (s.isFile() && mimeTypeFor(e.name)) await addFile(p);
    }
  };

  for (const raw of paths) {
    const p = resolve(raw);
    const info = await stat(p).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      missing.push({ path: p, reason: info.code === 'ENOENT' ? 'file not found' : info.message });
    } else if (info.isDirectory()) {
      await walkDir(p);
    } else {
      await addFile(p);
    }
  }
  return { files, missing };
}
