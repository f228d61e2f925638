/**
 * The library's writer lock: `library.lock` in the data folder names the one process that writes
 * to the library (indexing, start-up repairs, settings). It is created with O_EXCL, so two
 * processes cannot both create it, and it is removed on close and at exit. A lock whose process
 * is gone (a crash, a `kill -9`, a power cut) is taken over by the next process: none stays stuck.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LibraryHolder } from '../api/types';

export const LOCK_FILE = 'library.lock';
/** Held for the few milliseconds of taking over a dead process's lock, so two takers cannot both win. */
const TAKEOVER_FILE = 'library.lock.takeover';
/** A lock file this young that cannot be read may be one a process is writing right now. */
const UNREADABLE_GRACE_MS = 5_000;
/** A takeover file older than this was left by a process that crashed while taking over. */
const TAKEOVER_STALE_MS = 10_000;
const RETRY_MS = 20;
const MAX_TRIES = Math.ceil((UNREADABLE_GRACE_MS + 1_000) / RETRY_MS);

/** Who holds the library, as written in the lock file. */
/** Who holds the lock (the contract's LibraryHolder). */
export type LockHolder = LibraryHolder;

interface LockContent extends LockHolder {
  /** Tells this process's lock from another's with the same pid (a restarted container). */
  token: string;
}

export type LockAttempt = { acquired: true; lock: LibraryLock } | { acquired: false; holder: LockHolder };

/** Locks held by this process, by lock path. */
const heldHere = new Map<string, LibraryLock>();
let exitHookInstalled = false;

/** The writer lock this process holds on one data folder. */
export class LibraryLock {
  private released = false;

  constructor(
    readonly path: string,
    readonly holder: LockHolder,
    private readonly token: string,
  ) {}

  /** Removes the lock file if it is still this process's. Synchronous (it runs at exit), idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    const found = readLock(this.path);
    if (typeof found === 'object' && found.token === this.token) unlinkQuietly(this.path);
  }

  get held(): boolean {
    return !this.released;
  }

  /** Whether `found` is this lock's own file. */
  owns(found: LockContent): boolean {
    return !this.released && found.token === this.token;
  }
}

/**
 * Takes the data folder's writer lock, or says who holds it. A lock left by a process that is no
 * longer running on this machine is taken over; one held by a process on another machine (a data
 * folder on a network drive) is respected, since whether it still runs cannot be checked.
 */
export function tryLockLibrary(dataDir: string, what: string): LockAttempt {
  const path = join(dataDir, LOCK_FILE);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const lock = createLock(path, what);
    if (lock) return { acquired: true, lock };
    const found = readLock(path);
    if (found === 'missing') continue; // released meanwhile
    if (found === 'unreadable' && !isStale(path, found)) {
      sleep(RETRY_MS); // being written by a process that is starting now
      continue;
    }
    if (typeof found === 'object' && !isStale(path, found)) return { acquired: false, holder: holderOf(found) };
    if (!removeStaleLock(dataDir, path)) sleep(RETRY_MS); // another process is taking over: see who wins
  }
  const last = readLock(path);
  return { acquired: false, holder: typeof last === 'object' ? holderOf(last) : { pid: 0, hostname: hostname(), startedAt: new Date().toISOString(), what: 'another process' } };
}

/** Who holds the data folder's writer lock now, if a running process does (for read-only openers). */
export function libraryHolder(dataDir: string): LockHolder | undefined {
  const path = join(dataDir, LOCK_FILE);
  const found = readLock(path);
  return typeof found === 'object' && !isStale(path, found) ? holderOf(found) : undefined;
}

function createLock(path: string, what: string): LibraryLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  const content: LockContent = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), what, token: randomUUID() };
  try {
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkQuietly(path);
    throw err;
  }
  closeSync(fd);
  const lock = new LibraryLock(path, holderOf(content), content.token);
  heldHere.set(path, lock);
  installExitHook();
  return lock;
}

function readLock(path: string): LockContent | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (Number.isInteger(v.pid) && typeof v.hostname === 'string' && typeof v.startedAt === 'string' && typeof v.what === 'string' && typeof v.token === 'string') {
      return v as LockContent;
    }
  } catch {
    // half-written or damaged: judged by its age below
  }
  return 'unreadable';
}

/** Whether a lock is left over: its process has ended, or the file is damaged and not new. */
function isStale(path: string, found: LockContent | 'unreadable'): boolean {
  if (found === 'unreadable') {
    const age = ageOf(path);
    return age === undefined || age > UNREADABLE_GRACE_MS;
  }
  if (found.hostname !== hostname()) return false;
  // This process's pid: live only if this process holds it (a restarted container reuses pids).
  if (found.pid === process.pid) return !heldHere.get(path)?.owns(found);
  return !isRunning(found.pid);
}

function isRunning(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes a stale lock under the takeover file, after checking again that it is stale: between a
 * process reading a dead holder's lock and removing it, another may have taken over and written
 * its own, which must not be removed. False when another process is taking over now.
 */
function removeStaleLock(dataDir: string, path: string): boolean {
  const takeover = join(dataDir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = openSync(takeover, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = ageOf(takeover);
    if (age !== undefined && age > TAKEOVER_STALE_MS) unlinkQuietly(takeover);
    return false;
  }
  try {
    closeSync(fd);
    const found = readLock(path);
    if (found !== 'missing' && isStale(path, found)) unlinkQuietly(path);
    return true;
  } finally {
    unlinkQuietly(takeover);
  }
}

function holderOf({ pid, hostname: host, startedAt, what }: LockHolder): LockHolder {
  return { pid, hostname: host, startedAt, what };
}

function ageOf(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A process that exits without closing its service (process.exit, an uncaught error) still frees the library. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...heldHere.values()]) lock.release();
  });
}

/** "kb index (pid 1234, started 10:02)", with the machine when it is another one. */
export function describeHolder(h: LockHolder, now = new Date()): string {
  const started = new Date(h.startedAt);
  const time = started.toTimeString().slice(0, 5);
  const when = Number.isNaN(started.getTime()) ? '' : started.toDateString() === now.toDateString() ? `, started ${time}` : `, started ${started.toISOString().slice(0, 10)} ${time}`;
  const host = h.hostname !== hostname() ? ` on ${h.hostname}` : '';
  return `${h.what} (pid ${h.pid}${host}${when})`;
}
