import { realpathSync, type Stats } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';

/**
 * What an entry of a walked or watched folder really is, once links are resolved, and why one that
 * is not indexed is skipped. A link whose real target lies outside the folder is not followed
 * unless the user allowed it (`ingest.followExternalLinks`): a link planted in a dropped folder
 * must not pull `/etc/passwd` into the index.
 */

/** The folder a walk or a watcher works in. */
export interface FolderScope {
  /** The folder as added (for messages). */
  root: string;
  /** Its real path: what "inside" is measured against. */
  real: string;
  /** Follow links whose target lies outside the folder (the setting ingest.followExternalLinks). */
  followExternalLinks: boolean;
}

/** How an entry's skip reads when the reason is a link leading out of the folder. */
export const FOLLOW_LINKS_HINT =
  'links leading out of an added folder are not followed; to index what they point to, turn on ' +
  '"Follow links that lead outside added folders" under Settings › Indexing (kb settings set ingest.followExternalLinks true)';

export type EntryKind =
  | { type: 'file' | 'dir'; real: string }
  /** Not indexed, with the reason to show. `as` is what it would have been, for the include/exclude rules. */
  | { type: 'skip'; as: 'file' | 'dir' | 'unknown'; reason: string }
  /** Vanished (or never existed) before it could be looked at. */
  | { type: 'gone' };

export async function folderScope(root: string, followExternalLinks: boolean): Promise<FolderScope> {
  const abs = resolve(root);
  return { root: abs, real: await realpath(abs).catch(() => abs), followExternalLinks };
}

/** True if `real` (a real path) is the scope's folder or lies under it. */
export function isInside(scope: FolderScope, real: string): boolean {
  const base = scope.real.endsWith(sep) ? scope.real : scope.real + sep;
  return real === scope.real || real.startsWith(base);
}

/**
 * True for an entry (a path under the scope's folder) that leads outside it through a link and is
 * not to be followed. Synchronous, for chokidar's `ignored`; false when it cannot be resolved.
 */
export function leadsOutside(scope: FolderScope, path: string): boolean {
  if (scope.followExternalLinks) return false;
  try {
    return !isInside(scope, realpathSync.native(path));
  } catch {
    return false;
  }
}

/**
 * Resolves an entry of the scope's folder: a regular file or folder (inside the folder, or outside
 * it when that is allowed), or a skip with its reason: a link leading outside, a dangling link, a
 * link loop, a named pipe, socket or device (or a link to one), an entry that cannot be read.
 */
export async function inspectEntry(scope: FolderScope, path: string): Promise<EntryKind> {
  const abs = resolve(path);
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    return brokenLink(abs, err as NodeJS.ErrnoException);
  }
  let info: Stats;
  try {
    info = await stat(real);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? { type: 'gone' } : { type: 'skip', as: 'unknown', reason: unreadable(e) };
  }
  const linked = real !== abs;
  const special = specialKind(info);
  if (special) {
    const reason = linked ? `a link to ${special} (${real}), not a regular file` : `${special}, not a regular file`;
    return { type: 'skip', as: 'file', reason };
  }
  const as = info.isDirectory() ? 'dir' : 'file';
  if (!scope.followExternalLinks && !isInside(scope, real)) {
    const what = as === 'dir' ? 'a folder' : 'a file';
    return { type: 'skip', as, reason: `a link to ${what} outside ${basename(scope.root) || scope.root} (${real}); ${FOLLOW_LINKS_HINT}` };
  }
  return { type: as, real };
}

/** Why realpath failed on an entry: a dangling link, a loop, no permission, or it is gone. */
async function brokenLink(path: string, err: NodeJS.ErrnoException): Promise<EntryKind> {
  const isLink = await lstat(path).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  switch (err.code) {
    case 'ENOENT': {
      if (!isLink) return { type: 'gone' };
      const target = await readlink(path).catch(() => undefined);
      return { type: 'skip', as: 'unknown', reason: `a dangling link: its target${target ? ` (${target})` : ''} does not exist` };
    }
    case 'ELOOP':
      return { type: 'skip', as: 'unknown', reason: 'a link loop: the link leads back to itself through other links' };
    default:
      return { type: 'skip', as: 'unknown', reason: unreadable(err) };
  }
}

function unreadable(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read: ${err.message}`;
}

/** 'a named pipe (FIFO)' and the like for what is neither a regular file nor a folder. */
export function specialKind(info: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return undefined;
}
