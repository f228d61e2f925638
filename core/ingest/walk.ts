import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { KbError } from '../api/errors';
import { DEFAULT_EXCLUDE } from '../api/settings';
import { type EntryKind, type FolderScope, folderScope, inspectEntry, specialKind } from './entryKind';
import { mimeTypeFor } from './parsers';

export interface FoundFile {
  path: string;
  name: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** Paths that do not exist or cannot be read, with why. */
  missing: { path: string; reason: string }[];
  /** Entries of walked folders not indexed for a reason the user should see, with that reason. */
  skipped: { path: string; reason: string }[];
}

/**
 * Which entries of a folder are indexed. Patterns are picomatch globs matched against the path
 * relative to that folder with forward slashes (`docs/a.md`), dot files included; `*` stays within
 * one folder, so write `**\/` for any depth.
 */
export interface PathPatterns {
  /** Files must match one of these (and be a supported type). Empty or absent: every supported file. */
  include?: readonly string[];
  /**
   * Files and folders to skip; a folder that matches is not entered at all. Absent: DEFAULT_EXCLUDE.
   * A list given here replaces the default (so `[]` skips nothing).
   */
  exclude?: readonly string[];
}

/** The rules for one watched or dropped folder, shared by the walk and the folder watcher. */
export interface PathFilter {
  /** True for a folder under the root that is excluded (never entered); false for the root itself. */
  skipDir(absPath: string): boolean;
  /** True for a file under the root to index: no excluded folder above it, not excluded, included, supported. */
  takeFile(absPath: string): boolean;
}

type Matcher = (relPath: string) => boolean;

function compile(patterns: readonly string[], list: 'include' | 'exclude'): Matcher[] {
  return patterns.map((pattern) => {
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      throw new KbError('ValidationError', `An ${list} pattern is empty.`);
    }
    if (pattern.startsWith('/') || isAbsolute(pattern)) {
      throw new KbError(
        'ValidationError',
        `The ${list} pattern "${pattern}" must be relative to the folder: ` +
          'write "name" for a top-level entry or "**/name" for any depth.',
      );
    }
    try {
      // `windows: false`: paths are matched with forward slashes on every platform, and a
      // backslash in a pattern escapes the next character. `strictBrackets` and `debug` make an
      // unbalanced or invalid pattern throw instead of silently matching nothing.
      return picomatch(pattern, { dot: true, windows: false, strictBrackets: true, debug: true });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new KbError('ValidationError', `The ${list} pattern "${pattern}" is not a valid glob: ${why}`, {
        cause: err,
      });
    }
  });
}

/**
 * Compiles include/exclude patterns for one root folder. Throws a ValidationError naming the
 * first invalid pattern. Paths outside the root are neither taken nor entered.
 */
export function pathFilter(root: string, patterns: PathPatterns = {}): PathFilter {
  const base = resolve(root);
  const exclude = compile(patterns.exclude ?? DEFAULT_EXCLUDE, 'exclude');
  const include = compile(patterns.include ?? [], 'include');

  /** The path relative to the root with forward slashes; '' for the root, undefined outside it. */
  const rel = (absPath: string): string | undefined => {
    const r = relative(base, resolve(absPath));
    if (r === '') return '';
    if (r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) return undefined;
    return sep === '/' ? r : r.split(sep).join('/');
  };
  // Some patterns only match a folder with a trailing slash ("build/"), others only without it.
  const dirExcluded = (r: string) => exclude.some((m) => m(r) || m(`${r}/`));

  return {
    skipDir(absPath) {
      const r = rel(absPath);
      if (r === undefined) return true;
      return r !== '' && dirExcluded(r);
    },
    takeFile(absPath) {
      const r = rel(absPath);
      if (!r || !mimeTypeFor(r)) return false;
      if (exclude.some((m) => m(r))) return false;
      if (include.length > 0 && !include.some((m) => m(r))) return false;
      // A file inside an excluded folder is never taken, even when asked about it directly.
      for (let i = r.indexOf('/'); i !== -1; i = r.indexOf('/', i + 1)) {
        if (dirExcluded(r.slice(0, i))) return false;
      }
      return true;
    },
  };
}

/** Options of a walk: the include/exclude rules, and how far links are followed. */
export interface WalkOptions extends PathPatterns {
  /**
   * Follow links whose real target lies outside the folder being walked (the setting
   * ingest.followExternalLinks). Off: such a link is skipped and listed with its reason.
   */
  followExternalLinks?: boolean;
  /**
   * The folder the given paths were found in (a watched folder's changes). Each path is then an
   * entry of that folder, not the user's explicit choice: a link leading outside it, a pipe or a
   * device is skipped and listed like in a walk of the folder.
   */
  within?: string;
}

/**
 * Expands dropped paths into files. A file named explicitly is always returned (an unsupported one
 * then fails with a clear reason); inside a dropped folder, only files its PathFilter takes are
 * returned and excluded folders are not entered (hidden entries, node_modules and __pycache__ by
 * default). Links are followed while their real target stays inside the folder (anywhere with
 * `followExternalLinks`); loops and folders reached twice are cut by tracking real paths.
 * Entries that would have been indexed but are skipped for a reason the user should know (a link
 * leading outside, a dangling link, a link loop, a pipe, socket or device, an unreadable entry)
 * are returned in `skipped` with that reason; hidden, excluded and unsupported entries are not.
 * Throws a ValidationError for an invalid pattern before reading anything.
 */
export async function expandPaths(paths: string[], options: WalkOptions = {}): Promise<WalkResult> {
  const { followExternalLinks = false, within, ...patterns } = options;
  // Compiled once up front so a bad pattern fails before any file system work.
  pathFilter('.', patterns);
  const files: FoundFile[] = [];
  const missing: WalkResult['missing'] = [];
  const skipped: WalkResult['skipped'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = async (p: string) => {
    const real = await realpath(p).catch(() => p);
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ path: p, name: basename(p) });
  };

  /** Lists an entry of a walked folder that is skipped, unless its name excludes it anyway. */
  const skip = (p: string, kind: Extract<EntryKind, { type: 'skip' }>, filter: PathFilter) => {
    const shown = kind.as === 'file' ? filter.takeFile(p) : !filter.skipDir(p);
    if (shown) skipped.push({ path: p, reason: kind.reason });
  };

  const walkDir = async (dir: string, real: string, filter: PathFilter, scope: FolderScope): Promise<void> => {
    if (seenDirs.has(real)) return; // a folder dropped twice, or reached again through a link
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') skipped.push({ path: dir, reason: `this folder cannot be read: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!filter.skipDir(p)) await walkDir(p, join(real, e.name), filter, scope);
      } else if (e.isFile()) {
        if (filter.takeFile(p)) await addFile(p);
      } else if (e.isSymbolicLink()) {
        const kind = await inspectEntry(scope, p);
        if (kind.type === 'skip') skip(p, kind, filter);
        else if (kind.type === 'file' && filter.takeFile(p)) await addFile(p);
        else if (kind.type === 'dir' && !filter.skipDir(p)) {
          if (isLoop(kind.real, real)) {
            skipped.push({ path: p, reason: `a link loop: it leads back to ${kind.real}, a folder above it; not followed` });
          } else {
            await walkDir(p, kind.real, filter, scope);
          }
        }
      } else {
        const special = specialKind(e);
        if (special && filter.takeFile(p)) skipped.push({ path: p, reason: `${special}, not a regular file` });
      }
    }
  };

  const scopeOf = within === undefined ? undefined : folderScope(within, followExternalLinks);
  for (const raw of paths) {
    const p = resolve(raw);
    if (scopeOf) {
      // An entry of a watched folder: checked like one met in a walk of it.
      const scope = await scopeOf;
      const kind = await inspectEntry(scope, p);
      if (kind.type === 'gone') missing.push({ path: p, reason: 'file not found' });
      else if (kind.type === 'skip') skipped.push({ path: p, reason: kind.reason });
      else if (kind.type === 'file') await addFile(p);
      else await walkDir(p, kind.real, pathFilter(scope.root, patterns), scope);
      continue;
    }
    const info = await stat(p).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      missing.push({ path: p, reason: info.code === 'ENOENT' ? 'file not found' : info.message });
    } else if (info.isDirectory()) {
      const scope = await folderScope(p, followExternalLinks);
      await walkDir(p, scope.real, pathFilter(p, patterns), scope);
    } else {
      await addFile(p);
    }
  }
  return { files, missing, skipped };
}

/** True if the folder `target` is `from` or one of the folders above it (real paths). */
function isLoop(target: string, from: string): boolean {
  return from === target || from.startsWith(target.endsWith(sep) ? target : target + sep);
}
