import { access, readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Settings } from '../api/settings';
import type { WatchedFolder } from '../api/types';
import { sha256 } from '../ingest/fileStore';
import { FolderWatcher, type FolderChanges } from '../ingest/folderWatcher';
import { expandPaths, type PathPatterns, type WalkOptions } from '../ingest/walk';
import type { DocumentRecord } from '../relational/types';

type FolderSetting = Settings['ingest']['watchedFolders'][number];

export interface WatchDeps {
  /** The saved list, and a way to save a new one. */
  saved: () => FolderSetting[];
  save: (folders: FolderSetting[]) => void;
  /**
   * Queues files (or a whole folder) for indexing; unchanged files are skipped by their hash.
   * `within` names the watched folder the paths were found in (their links are checked against it).
   */
  enqueue: (paths: string[], options: WalkOptions) => Promise<unknown>;
  /** The setting ingest.followExternalLinks (default: links leading outside a folder are not followed). */
  followExternalLinks?: () => boolean;
  /** Indexed documents that came from under `root`. */
  documentsUnder: (root: string) => Promise<DocumentRecord[]>;
  findBySource: (path: string) => Promise<DocumentRecord | undefined>;
  deleteDocument: (id: string) => Promise<void>;
  /** Points a document at its new path (a rename or move): nothing is re-embedded. */
  moveDocument: (doc: DocumentRecord, path: string) => Promise<void>;
  /** Watcher tuning for tests. */
  quietMs?: number;
}

/**
 * The folders kept in sync with the index. Each has a FolderWatcher with the folder's include and
 * exclude patterns: added and changed files are queued, removed files' documents deleted, and a
 * rename (a removed file whose document has the same content as an added one) just moves the
 * document. At start, and whenever a folder is added, the folder is also compared with the index
 * to catch up with what changed while nobody was watching. A folder that disappears (unplugged
 * drive) keeps its documents: only a removal seen while the folder exists deletes anything.
 */
export class WatchedFolders {
  private readonly watchers = new Map<string, FolderWatcher>();
  private readonly problems = new Map<string, string>();

  constructor(private readonly deps: WatchDeps) {}

  /** Starts watching every saved folder and catches up with changes made while the app was closed. */
  async startAll(): Promise<void> {
    for (const folder of this.deps.saved()) {
      await this.start(folder, true).catch(() => {}); // the problem is listed
    }
  }

  /**
   * Adds folders to the saved list and watches them (a folder already watched keeps its watcher).
   * The caller indexes them: watching starts first so nothing created meanwhile is missed.
   */
  async watch(paths: string[], patterns: PathPatterns): Promise<void> {
    const saved = this.deps.saved();
    for (const raw of paths) {
      const folder = { path: resolve(raw), include: [...(patterns.include ?? [])], exclude: [...(patterns.exclude ?? [])] };
      if (this.watchers.has(folder.path)) continue;
      await this.start(folder, false);
      this.deps.save([...saved.filter((f) => f.path !== folder.path), folder]);
    }
  }

  async unwatch(path: string): Promise<void> {
    const root = resolve(path);
    await this.watchers.get(root)?.close();
    this.watchers.delete(root);
    this.problems.delete(root);
    this.deps.save(this.deps.saved().filter((f) => f.path !== root));
  }

  list(): WatchedFolder[] {
    return this.deps.saved().map((f) => {
      const w = this.watchers.get(f.path);
      const message = w?.message ?? this.problems.get(f.path);
      return { path: f.path, include: f.include, exclude: f.exclude, active: w?.active ?? false, ...(message ? { message } : {}) };
    });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }

  private async start(folder: FolderSetting, catchUp: boolean): Promise<void> {
    const patterns = patternsOf(folder);
    const watcher: FolderWatcher = new FolderWatcher(folder.path, {
      ...patterns,
      ...(this.deps.quietMs ? { quietMs: this.deps.quietMs } : {}),
      onChanges: (changes) => this.apply(watcher, patterns, changes),
      followExternalLinks: () => this.deps.followExternalLinks?.() ?? false,
      onError: (message) => this.problems.set(folder.path, message),
    });
    try {
      // Watch first, then compare: nothing created in between is missed.
      await watcher.start();
      this.watchers.set(folder.path, watcher);
      this.problems.delete(folder.path);
      if (catchUp) await this.catchUp(folder.path, patterns);
    } catch (err) {
      this.problems.set(folder.path, (err as Error).message);
      throw err;
    }
  }

  /**
   * Indexes what is new or changed under the folder and forgets documents whose files are gone.
   * A file with its indexed size and not modified since it was indexed is not queued (nor read):
   * starting the app costs a walk and a stat per file, not a read of every watched file.
   */
  private async catchUp(root: string, patterns: PathPatterns): Promise<void> {
    const under = root.endsWith(sep) ? root : root + sep;
    const indexed = new Map((await this.deps.documentsUnder(under)).map((d) => [d.sourceKey, d]));
    // Skips are listed when the folder is added, not again at every start.
    const { files } = await expandPaths([root], { ...patterns, followExternalLinks: this.deps.followExternalLinks?.() ?? false });
    const toIndex: string[] = [];
    for (const { path } of files) {
      const doc = indexed.get(path);
      indexed.delete(path);
      if (!doc || !(await unchangedSince(path, doc))) toIndex.push(path);
    }
    if (toIndex.length) await this.deps.enqueue(toIndex, { ...patterns, within: root });
    // Indexed from this folder but not found by the walk: gone, unless it is only excluded now.
    for (const doc of indexed.values()) {
      const exists = await access(doc.sourceKey).then(
        () => true,
        (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
      );
      if (!exists) await this.deps.deleteDocument(doc.id);
    }
  }

  private async apply(watcher: FolderWatcher, patterns: PathPatterns, changes: FolderChanges): Promise<void> {
    // The folder itself went away (an unplugged drive, a moved folder): keep its documents.
    const removed = watcher.active ? changes.removed : [];
    const added = new Set(changes.added);
    // Hashes of the added files, read once and only if something was removed (a possible rename).
    let addedByHash: Map<string, string> | undefined;
    for (const path of removed) {
      const doc = await this.deps.findBySource(path);
      if (!doc) continue;
      addedByHash ??= await hashFiles(changes.added);
      const movedTo = addedByHash.get(doc.contentHash);
      if (movedTo && added.has(movedTo)) {
        added.delete(movedTo);
        await this.deps.moveDocument(doc, movedTo);
      } else {
        await this.deps.deleteDocument(doc.id);
      }
    }
    // Skipped entries are queued too: the walk lists each with its reason.
    const toIndex = [...added, ...changes.changed, ...changes.skipped];
    if (toIndex.length) await this.deps.enqueue(toIndex, { ...patterns, within: watcher.root });
  }
}

/** Whether the file still has its indexed size and was last modified before it was indexed. */
async function unchangedSince(path: string, doc: DocumentRecord): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && info.size === doc.size && info.mtimeMs <= Date.parse(doc.updatedAt);
}

/** Content hash → path of the files that can be read. */
async function hashFiles(paths: string[]): Promise<Map<string, string>> {
  const byHash = new Map<string, string>();
  for (const p of paths) {
    const bytes = await readFile(p).catch(() => undefined);
    if (bytes) byHash.set(sha256(bytes), p);
  }
  return byHash;
}

function patternsOf(folder: FolderSetting): PathPatterns {
  // The exclude list is the one saved with the folder, an empty one too (the user chose to skip nothing).
  return { ...(folder.include.length ? { include: folder.include } : {}), exclude: folder.exclude };
}
