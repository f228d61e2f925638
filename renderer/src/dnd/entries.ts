/**
 * Collects files from a drop in a plain browser, walking dropped folders. The File System
 * entries API is callback-based and only usable during the drop event, so the handler captures
 * `DroppedItem`s synchronously and this module walks them afterwards.
 *
 * The interfaces are the small structural subset of the DOM's FileSystemEntry types that is used,
 * so the walk can be tested with fakes.
 */
export interface FileEntryLike {
  isFile: true;
  isDirectory: false;
  name: string;
  fullPath: string;
  file(success: (file: File) => void, error?: (err: unknown) => void): void;
}

export interface DirectoryEntryLike {
  isFile: false;
  isDirectory: true;
  name: string;
  fullPath: string;
  createReader(): { readEntries(success: (entries: EntryLike[]) => void, error?: (err: unknown) => void): void };
}

export type EntryLike = FileEntryLike | DirectoryEntryLike;

export interface DroppedItem {
  entry: EntryLike | null;
  file: File | null;
}

/** Hidden files and folders (".git", ".DS_Store") inside a dropped folder are not uploaded. */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** Synchronously captures what a drop carries; call it inside the drop handler. */
export function captureDrop(dt: DataTransfer): DroppedItem[] {
  const items: DroppedItem[] = [];
  if (dt.items && dt.items.length > 0) {
    for (const item of Array.from(dt.items)) {
      if (item.kind !== 'file') continue;
      const getEntry = (item as { webkitGetAsEntry?: () => unknown }).webkitGetAsEntry;
      const entry = typeof getEntry === 'function' ? (getEntry.call(item) as EntryLike | null) : null;
      items.push({ entry, file: item.getAsFile() });
    }
  }
  if (items.length === 0) {
    for (const file of Array.from(dt.files ?? [])) items.push({ entry: null, file });
  }
  return items;
}

function readAll(dir: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = dir.createReader();
  const all: EntryLike[] = [];
  // readEntries returns the listing in batches (100 at a time in Chromium) until an empty one.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

function fileOf(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

export interface WalkResult {
  files: File[];
  /** Entries that could not be read (permissions, vanished files), by path. */
  unreadable: string[];
}

/** Expands dropped items into files, folders recursively (depth-first, names sorted). */
export async function walkDropped(items: readonly DroppedItem[]): Promise<WalkResult> {
  const files: File[] = [];
  const unreadable: string[] = [];
  for (const item of items) {
    const { entry } = item;
    if (entry?.isDirectory) {
      const stack: DirectoryEntryLike[] = [entry];
      while (stack.length > 0) {
        const dir = stack.pop()!;
        let children: EntryLike[];
        try {
          children = await readAll(dir);
        } catch {
          unreadable.push(dir.fullPath);
          continue;
        }
        children.sort((a, b) => a.name.localeCompare(b.name));
        const subdirs: DirectoryEntryLike[] = [];
        for (const child of children) {
          if (isHidden(child.name)) continue;
          if (child.isDirectory) subdirs.push(child);
          else {
            try {
              files.push(await fileOf(child));
            } catch {
              unreadable.push(child.fullPath);
            }
          }
        }
        // Reverse so the stack pops them in name order.
        stack.push(...subdirs.reverse());
      }
    } else if (item.file) {
      // Top-level files: the File the item gave us directly works even for synthetic drops.
      files.push(item.file);
    } else if (entry?.isFile) {
      try {
        files.push(await fileOf(entry));
      } catch {
        unreadable.push(entry.fullPath);
      }
    }
  }
  return { files, unreadable };
}
