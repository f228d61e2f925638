import type { WatchedFolder } from '../../../core/api';

/** "notes" from "/home/u/notes/" or "C:\\Users\\u\\notes"; the path itself for a root ("/", "C:\\"). */
export function folderName(path: string): string {
  const parts = path.split(/[/\\]+/).filter((p) => p !== '');
  const last = parts[parts.length - 1];
  // "C:" alone is a drive root, not a name.
  return last === undefined || (parts.length === 1 && /^[A-Za-z]:$/.test(last)) ? path : last;
}

export interface WatchedFolderView {
  name: string;
  status: string;
  tone: 'ok' | 'bad';
  /** "Only *.md · skips drafts/**", or null when the folder uses the defaults. */
  filters: string | null;
}

export function describeWatchedFolder(folder: WatchedFolder): WatchedFolderView {
  const filters: string[] = [];
  if (folder.include.length > 0) filters.push(`only ${folder.include.join(', ')}`);
  if (folder.exclude.length > 0) filters.push(`skips ${folder.exclude.join(', ')}`);
  const text = filters.join(' · ');
  return {
    name: folderName(folder.path),
    status: folder.active ? 'Watching' : folder.message?.trim() || 'Not watching',
    tone: folder.active ? 'ok' : 'bad',
    filters: text ? text.charAt(0).toUpperCase() + text.slice(1) : null,
  };
}

/** Alphabetical by folder name, then by full path, so the list does not reshuffle on refresh. */
export function sortWatchedFolders(folders: readonly WatchedFolder[]): WatchedFolder[] {
  return [...folders].sort(
    (a, b) => folderName(a.path).localeCompare(folderName(b.path), undefined, { sensitivity: 'base' }) || a.path.localeCompare(b.path),
  );
}
