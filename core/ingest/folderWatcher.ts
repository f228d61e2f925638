import { realpathSync, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { KbError } from '../api/errors';
import { type FolderScope, leadsOutside, specialKind } from './entryKind';
import { type PathFilter, type PathPatterns, pathFilter } from './walk';

/** One debounced batch of file changes under the watched folder (absolute paths, sorted). */
export interface FolderChanges {
  /** Files that did not exist when the batch began. */
  added: string[];
  /** Files that existed before and after (rewritten, or removed and recreated). */
  changed: string[];
  /** Files that existed when the batch began and are gone now (deleted, moved away, or in a removed folder). */
  removed: string[];
  /**
   * Entries that appeared and are not followed or not regular files: a link leading outside the
   * folder, a named pipe, socket or device. The caller lists each with its reason (each path once).
   */
  skipped: string[];
}

export interface FolderWatcherOptions extends PathPatterns {
  /**
   * Receives each batch. Called one at a time: changes seen while it runs wait for the next batch.
   * A rejection is reported through `onError`.
   */
  onChanges: (changes: FolderChanges) => void | Promise<void>;
  /** A problem a user can act on: the folder disappeared, a system watch limit was reached, … */
  onError?: (message: string) => void;
  /**
   * A batch is delivered once nothing has changed for this long (default 400 ms). It must cover the
   * gap between the halves of a rename (chokidar holds an unlink back ~100 ms to pair it with an add)
   * and between the chunks of a file being written.
   */
  quietMs?: number;
  /** Longest a batch is held back while changes keep coming (default 10 s). */
  maxDelayMs?: number;
  /** How often the folder's existence is checked besides on every batch (default 10 s; 0: never). */
  rootCheckMs?: number;
  /**
   * Whether links leading outside the folder are followed (the setting ingest.followExternalLinks;
   * default: not). Read as entries are met, so a change applies to entries met after it.
   */
  followExternalLinks?: () => boolean;
}

type Event = 'add' | 'change' | 'unlink';

/** What a path looked like before the batch (inferred from its first event) and what it is now. */
interface Pending {
  existedBefore: boolean;
  existsNow: boolean;
}

const DEFAULT_QUIET_MS = 400;
const DEFAULT_MAX_DELAY_MS = 10_000;
const DEFAULT_ROOT_CHECK_MS = 10_000;

/**
 * Keeps one folder in view and reports what changed in it, in debounced batches.
 *
 * Uses the same include/exclude rules as `expandPaths` (via `pathFilter`), and excluded folders are
 * never watched. Existing files are not reported (`ignoreInitial`): start the watcher first and
 * then index the folder with `expandPaths`, so that nothing created in between is missed.
 *
 * - A file written in several chunks is reported once, after it has been quiet for `quietMs`.
 * - A file added then removed within one batch is not reported; a rename arrives as `removed` +
 *   `added` in one batch; a removed or moved-away folder reports every file it held as `removed`.
 * - If the folder itself disappears (deleted, moved, drive unmounted), `active` turns false and
 *   `message` says why; the last batch (usually removing everything it held) is delivered, watching
 *   stops, then `onError` is called. Watch again with a new FolderWatcher once it is back.
 * - Symlinks are followed like `expandPaths` does: a link back to a parent folder is not entered,
 *   and a link leading outside the folder is neither watched nor reported as added (unless
 *   `followExternalLinks`); such a link, or a pipe or device, appearing is reported in `skipped`.
 */
export class FolderWatcher {
  readonly root: string;
  private readonly filter: PathFilter;
  private readonly options: FolderWatcherOptions;
  private watcher: FSWatcher | undefined;
  private pending = new Map<string, Pending>();
  /** Folders that appeared since the last batch; scanned again before it is delivered. */
  private newDirs = new Set<string>();
  private quietTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private rootTimer: NodeJS.Timeout | undefined;
  /** Set while `onChanges` runs (or a batch is being prepared); flushes wait for it. */
  private delivering: Promise<void> | undefined;
  private closed = false;
  private running = false;
  /** Ends a `start()` still waiting for chokidar when `close()` is called. */
  private abortStart: (() => void) | undefined;
  private lastMessage: string | undefined;
  private readonly reportedErrors = new Set<string>();
  /** The folder's real path, once started: links are measured against it. */
  private realRoot: string;
  /** Entries to report as skipped in the next batch, and every one reported so far (once each). */
  private readonly refused = new Set<string>();
  private readonly refusedBefore = new Set<string>();

  /** Throws a ValidationError for an invalid include/exclude pattern. */
  constructor(root: string, options: FolderWatcherOptions) {
    this.root = resolve(root);
    this.options = options;
    this.filter = pathFilter(this.root, options);
    this.realRoot = this.root;
  }

  /** True from `start()` until `close()` or the folder disappearing. */
  get active(): boolean {
    return this.running;
  }

  /** The last problem reported through `onError` (or about to be), if any. */
  get message(): string | undefined {
    return this.lastMessage;
  }

  /**
   * Starts watching; resolves once the folder has been scanned and changes are being reported.
   * Rejects with NotFound if the folder does not exist, ValidationError if it is not a folder.
   */
  async start(): Promise<void> {
    if (this.watcher || this.closed) throw new KbError('ValidationError', 'This folder watcher was already started.');
    const info = await stat(this.root).catch(() => undefined);
    if (!info) throw new KbError('NotFound', `Cannot watch ${this.root}: the folder does not exist.`);
    if (!info.isDirectory()) throw new KbError('ValidationError', `Cannot watch ${this.root}: it is not a folder.`);
    this.realRoot = await realpath(this.root).catch(() => this.root);
    if (this.closed) return;

    const watcher = watch(this.root, {
      ignoreInitial: true,
      ignored: (path: string, stats?: Stats) => this.ignored(path, stats),
      followSymlinks: true,
      // Unreadable folders are skipped, as expandPaths does.
      ignorePermissionErrors: true,
      // Pairs an editor's "write temp file, rename over original" into one change event.
      atomic: true,
    });
    this.watcher = watcher;
    watcher.on('add', (p) => this.record(p, 'add'));
    watcher.on('change', (p) => this.record(p, 'change'));
    watcher.on('unlink', (p) => this.record(p, 'unlink'));
    watcher.on('addDir', (p) => {
      if (this.closed) return;
      this.newDirs.add(resolve(p));
      this.scheduleFlush();
    });
    // A removed folder also produces one unlink per file it held (chokidar tracks them), so the
    // folder event itself only needs to hurry the root check when the root is what went away.
    watcher.on('unlinkDir', (p) => {
      if (resolve(p) === this.root) this.scheduleFlush();
    });
    watcher.on('error', (err) => this.watchError(err));
    await new Promise<void>((done) => {
      this.abortStart = done;
      watcher.once('ready', () => done());
    });
    this.abortStart = undefined;
    if (this.closed) return;
    this.running = true;
    const every = this.options.rootCheckMs ?? DEFAULT_ROOT_CHECK_MS;
    if (every > 0) {
      this.rootTimer = setInterval(() => {
        if (!this.quietTimer && !this.delivering) void this.flush();
      }, every);
      this.rootTimer.unref();
    }
  }

  /** Stops watching. Changes not yet delivered are dropped; `onChanges` is not called again. */
  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    this.clearTimers();
    if (this.rootTimer) clearInterval(this.rootTimer);
    this.rootTimer = undefined;
    this.pending.clear();
    this.newDirs.clear();
    this.refused.clear();
    this.abortStart?.();
    const watcher = this.watcher;
    if (watcher) await watcher.close();
  }

  /** The folders under watch (the root and every folder below it not excluded), sorted. */
  watchedFolders(): string[] {
    const watched = this.watcher?.getWatched() ?? {};
    const under = this.root.endsWith(sep) ? this.root : this.root + sep;
    return Object.keys(watched)
      .map((dir) => resolve(dir))
      .filter((dir) => dir === this.root || dir.startsWith(under))
      .sort();
  }

  /** chokidar's `ignored`: called with and without stats (those of a link's target), for files and folders. */
  private ignored(path: string, stats?: Stats): boolean {
    if (resolve(path) === this.root) return false;
    if (stats?.isFile()) return !this.filter.takeFile(path) || this.refuseOutside(path);
    if (stats?.isDirectory()) return this.filter.skipDir(path) || isLoop(path) || this.refuseOutside(path);
    if (stats && specialKind(stats)) {
      // A pipe or device (or a link to one) is never read; one that would be taken is listed.
      if (this.filter.takeFile(path)) this.refuse(path);
      return true;
    }
    // No stats (or a symlink not yet followed): only what excludes both files and folders.
    return this.filter.skipDir(path);
  }

  private scope(): FolderScope {
    return { root: this.root, real: this.realRoot, followExternalLinks: this.options.followExternalLinks?.() ?? false };
  }

  /** True (and listed as skipped) for an entry leading outside the folder that is not to be followed. */
  private refuseOutside(path: string): boolean {
    if (!leadsOutside(this.scope(), path)) return false;
    this.refuse(path);
    return true;
  }

  /**
   * Lists an entry as skipped in the next batch, once: chokidar asks again whenever it re-reads
   * the folder. What its first scan meets is remembered, not listed (the walk of the folder is).
   */
  private refuse(path: string): void {
    const p = resolve(path);
    if (this.closed || this.refusedBefore.has(p)) return;
    this.refusedBefore.add(p);
    if (!this.running) return;
    this.refused.add(p);
    this.scheduleFlush();
  }

  private record(path: string, event: Event): void {
    if (this.note(path, event)) this.scheduleFlush();
  }

  /** Adds an event to the pending batch; false if the path is not one to report. */
  private note(path: string, event: Event): boolean {
    if (this.closed) return false;
    const p = resolve(path);
    if (!this.filter.takeFile(p)) return false;
    const entry = this.pending.get(p);
    const existsNow = event !== 'unlink';
    if (entry) entry.existsNow = existsNow;
    else this.pending.set(p, { existedBefore: event !== 'add', existsNow });
    return true;
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => void this.flush(), this.options.quietMs ?? DEFAULT_QUIET_MS);
    this.maxTimer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  }

  private clearTimers(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
  }

  /** Delivers the pending batch, after the previous one, and checks that the root still exists. */
  private async flush(): Promise<void> {
    this.clearTimers();
    if (this.delivering) {
      // Events that arrive while a batch is delivered are picked up once it is done.
      await this.delivering;
      if (this.pending.size > 0 || this.newDirs.size > 0 || this.refused.size > 0) this.scheduleFlush();
      return;
    }
    const run = this.deliver();
    this.delivering = run;
    try {
      await run;
    } finally {
      this.delivering = undefined;
    }
  }

  private async deliver(): Promise<void> {
    if (this.closed) return;
    const rootGone = await stat(this.root).then(
      (s) => !s.isDirectory(),
      () => true,
    );
    if (this.closed) return;
    const lost =
      `The watched folder ${this.root} no longer exists (deleted, moved or its drive removed); ` +
      'it is no longer watched.';
    if (rootGone) {
      // Set before the last batch, so that onChanges can tell its removals come from the loss.
      this.running = false;
      this.lastMessage = lost;
    } else {
      await this.rescanNewDirs();
    }
    await this.settle();
    if (this.closed) return;
    const batch = this.takeBatch();
    if (batch.added.length + batch.changed.length + batch.removed.length + batch.skipped.length > 0) {
      try {
        await this.options.onChanges(batch);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.report(`Could not apply changes in ${this.root}: ${why}`, false);
      }
    }
    if (rootGone) {
      await this.close();
      this.report(lost);
    }
  }

  /**
   * chokidar lists a new folder before it starts watching it, so files created in between (a
   * folder being copied in) are never reported (chokidar issue #1471). Each new folder is listed
   * again once things are quiet; whatever chokidar does not know is recorded as added and handed
   * to chokidar to watch.
   */
  private async rescanNewDirs(): Promise<void> {
    const watcher = this.watcher;
    if (!watcher || this.newDirs.size === 0) return;
    const dirs = [...this.newDirs].sort();
    this.newDirs.clear();
    const inScope = (dir: string) => dirs.some((d) => dir === d || dir.startsWith(d + sep));
    const watched = Object.entries(watcher.getWatched())
      .map(([dir, names]) => [resolve(dir), names] as const)
      .filter(([dir]) => inScope(dir));
    const knownDirs = new Set(watched.map(([dir]) => dir));
    const knownEntries = new Set(watched.flatMap(([dir, names]) => names.map((name) => join(dir, name))));
    const unwatched: string[] = [];
    const visited = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      if (visited.has(dir)) return;
      visited.add(dir);
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = join(dir, e.name);
        const s = e.isSymbolicLink() ? await stat(p).catch(() => undefined) : e;
        if (s?.isDirectory()) {
          if (this.filter.skipDir(p) || isLoop(p) || this.refuseOutside(p)) continue;
          if (!knownDirs.has(p)) unwatched.push(p);
          await walk(p);
        } else if (s?.isFile() && this.filter.takeFile(p) && !knownEntries.has(p) && !this.refuseOutside(p)) {
          unwatched.push(p);
          this.note(p, 'add');
        }
      }
    };
    for (const dir of dirs) await walk(dir);
    // Watching a folder or file this way reports nothing (ignoreInitial); the adds are recorded above.
    if (unwatched.length > 0 && !this.closed) watcher.add(unwatched);
  }

  /**
   * Checks each pending path against the disk, so a batch never reports a file as added or changed
   * that is gone, or as removed while it is there (events dropped by chokidar's throttling).
   */
  private async settle(): Promise<void> {
    const revived: string[] = [];
    await Promise.all(
      [...this.pending].map(async ([path, entry]) => {
        const isFile = await stat(path).then(
          (s) => s.isFile(),
          () => false,
        );
        if (isFile && !entry.existsNow) revived.push(path);
        entry.existsNow = isFile;
      }),
    );
    if (revived.length > 0 && !this.closed) this.watcher?.add(revived);
  }

  private takeBatch(): FolderChanges {
    const changes: FolderChanges = { added: [], changed: [], removed: [], skipped: [...this.refused].sort() };
    this.refused.clear();
    for (const [path, { existedBefore, existsNow }] of this.pending) {
      if (existsNow) (existedBefore ? changes.changed : changes.added).push(path);
      else if (existedBefore) changes.removed.push(path);
    }
    this.pending.clear();
    changes.added.sort();
    changes.changed.sort();
    changes.removed.sort();
    return changes;
  }

  private watchError(err: unknown): void {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    // A link pointing at itself or a file vanishing mid-scan: skipped, as expandPaths does.
    if (code === 'ELOOP' || code === 'ENOENT') return;
    this.report(describeWatchError(err, this.root));
  }

  /** Remembers and forwards a message; the same one is forwarded once (limits fail per folder). */
  private report(message: string, once = true): void {
    this.lastMessage = message;
    if (once && this.reportedErrors.has(message)) return;
    this.reportedErrors.add(message);
    this.options.onError?.(message);
  }
}

/**
 * A user-facing message for a watch error. The common ones are system limits on how many files
 * can be watched, and say which limit to raise.
 */
export function describeWatchError(err: unknown, root: string): string {
  const e = err as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'ENOSPC':
      return (
        `Cannot watch every folder in ${root}: the system limit on watched files was reached. ` +
        'Raise it (on Linux: sudo sysctl fs.inotify.max_user_watches=524288) or exclude large folders.'
      );
    case 'EMFILE':
    case 'ENFILE':
      return (
        `Cannot watch every folder in ${root}: too many open files. ` +
        'Raise the open-file limit (ulimit -n; on Linux also fs.inotify.max_user_instances) or exclude large folders.'
      );
    case 'EACCES':
    case 'EPERM':
      return `Cannot watch part of ${root}: permission denied${e.path ? ` (${e.path})` : ''}.`;
    default:
      return `Watching ${root} failed: ${e?.message ?? String(err)}`;
  }
}

/** True for a folder that is a link to itself or to one of the folders above it. */
function isLoop(path: string): boolean {
  try {
    const real = realpathSync.native(path);
    const parent = realpathSync.native(dirname(path));
    return parent === real || parent.startsWith(real.endsWith(sep) ? real : real + sep);
  } catch {
    return false;
  }
}
