import type { KbApi } from '../api/contract';
import type { SecretStore } from '../config/secretStore';
import type { OriginalFile } from './originalFile';

export interface KbServiceOptions {
  /** Where the database, stored originals and settings live (Electron `userData`, or QCKSTRT_DATA_DIR). */
  dataDir: string;
  /** Folder that holds `models/` shipped with the app (repo `resources/`, or the packaged resources). */
  resourcesDir: string;
  /** Environment variables to read configuration from (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Script the embedding worker thread runs. Defaults to the TypeScript source next to the worker
   * host (works under tsx/vitest); the Electron build passes its bundled `embed-worker.js`.
   */
  embedWorkerPath?: string;
  /**
   * Script the file-parsing worker thread runs (ParseWorker). Defaults to the TypeScript source
   * beside ParseWorker (works under tsx/vitest); the Electron build passes its bundled `parse-worker.js`.
   */
  parseWorkerPath?: string;
  /** How long a watched folder must be quiet before its changes are applied (default 400 ms; tests shorten it). */
  watchQuietMs?: number;
  /** better-sqlite3 native binding to load instead of the default (an Electron-ABI build). */
  sqliteNativeBinding?: string;
  /**
   * Where saved passwords live. Default: a 0600 file in the data folder (headless server, CLI);
   * the desktop app passes one backed by Electron's safeStorage.
   */
  secrets?: SecretStore;
  /**
   * Whether this service writes to the library; one process at a time does, holding the data
   * folder's `library.lock`. `auto` (default, the app and the server): take the lock, or open
   * read-only when another running process holds it. `write` (`kb index`): a held lock fails the
   * start with `LibraryInUse` naming the holder. `read` (`kb search`): never take the lock.
   * Read-only, searches and listings work; writes are refused with `LibraryInUse`, and there are
   * no start-up repairs, no queue and no folder watching.
   */
  access?: 'auto' | 'write' | 'read';
  /** What this process is, as another process is told the library is in use by ("kb index"). */
  role?: string;
  /** Read-only: how long the holder has to take handed-over files before `LibraryInUse` (default 10 s). */
  handoverTimeoutMs?: number;
}

/** Reading documents' originals, beyond the contract (the HTTP server streams them). */
export interface OriginalFiles {
  /** Throws `NotFound` for an unknown document or one whose original is gone. */
  originalFile(id: string): Promise<OriginalFile>;
}

/** The core service: the contract's methods plus a way to shut down cleanly. */
export interface KbService extends KbApi, OriginalFiles {
  close(): Promise<void>;
}
