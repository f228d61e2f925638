import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite';

/** Save every this many documents (and at the end, and when stopped). */
const SAVE_EVERY = 25;

interface Saved {
  from: string;
  to: string;
  /** Documents copied: an array of ids (vector migration), or id → the version copied. */
  done: string[] | Record<string, string>;
}

/**
 * Which documents a copy between two stores has moved already, kept in a file so that a copy
 * that was cancelled or crashed resumes where it stopped. A checkpoint for another pair of
 * stores is ignored. With versions (a document's `updatedAt`), a document changed since it was
 * copied counts as not copied.
 */
export class CopyCheckpoint {
  private readonly done: Map<string, string>;
  private unsaved = 0;

  private constructor(
    readonly path: string,
    readonly from: string,
    readonly to: string,
    done: Map<string, string>,
  ) {
    this.done = done;
  }

  static open(path: string, from: string, to: string): CopyCheckpoint {
    const saved = read(path);
    const done = new Map<string, string>();
    if (saved && saved.from === from && saved.to === to) {
      if (Array.isArray(saved.done)) saved.done.forEach((id) => done.set(id, ''));
      else Object.entries(saved.done).forEach(([id, v]) => done.set(id, v));
    }
    return new CopyCheckpoint(path, from, to, done);
  }

  get size(): number {
    return this.done.size;
  }

  ids(): string[] {
    return [...this.done.keys()];
  }

  /** Copied already (and, with `version`, not changed since). */
  has(id: string, version?: string): boolean {
    return this.done.has(id) && (version === undefined || this.done.get(id) === version);
  }

  versionOf(id: string): string | undefined {
    return this.done.get(id);
  }

  mark(id: string, version = ''): void {
    this.done.set(id, version);
    if (++this.unsaved >= SAVE_EVERY) this.save();
  }

  forget(id: string): void {
    if (this.done.delete(id)) this.unsaved++;
  }

  save(): void {
    writeFileAtomic(this.path, JSON.stringify({ from: this.from, to: this.to, done: Object.fromEntries(this.done) } satisfies Saved), 0o600);
    this.unsaved = 0;
  }

  /** The copy is complete: nothing to resume. */
  remove(): void {
    rmSync(this.path, { force: true });
  }
}

function read(path: string): Saved | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Saved;
  } catch {
    return undefined; // a damaged checkpoint only costs copying again
  }
}
