/**
 * Which service methods write to the library, and how a read-only service refuses them. A
 * service that does not hold the library's writer lock (another process does, or it was opened
 * to read) answers searches and listings from the shared stores and refuses every write with
 * `LibraryInUse`, naming who holds the library.
 */
import type { KbApi } from '../api/contract';
import { KbError } from '../api/errors';
import { describeHolder, tryLockLibrary, type LibraryLock, type LockHolder } from './libraryLock';

type Method = Exclude<keyof KbApi, 'on'>;

/** Every contract method, read or write: a new method does not compile until it is placed here. */
export const METHOD_ACCESS: Record<Method, 'read' | 'write'> = {
  ingestFiles: 'write',
  ingestUpload: 'write',
  listJobs: 'read',
  listDocuments: 'read',
  deleteDocument: 'write',
  search: 'read',
  readDocument: 'read',
  ask: 'read',
  cancelAsk: 'read',
  getSettings: 'read',
  updateSettings: 'write',
  testConnection: 'read',
  getStatus: 'read',
  listModels: 'read',
  // Pausing or resuming here would not touch the writer's indexing: refused so nobody thinks it did.
  pauseIngest: 'write',
  resumeIngest: 'write',
  cancelIngest: 'write',
  listWatchedFolders: 'read',
  unwatchFolder: 'write',
  openDocument: 'read',
  deleteDocuments: 'write',
  reindexDocuments: 'write',
  planProviderChange: 'write',
  applyProviderChange: 'write',
  cancelProviderChange: 'write',
  reconcileStores: 'write',
  // A backup holds indexing still while it reads: only the writer can.
  backupLibrary: 'write',
  restoreLibrary: 'write',
  listBackups: 'read',
};

export const WRITE_METHODS = (Object.keys(METHOD_ACCESS) as Method[]).filter((m) => METHOD_ACCESS[m] === 'write');

/**
 * The error a write gets: `holder` holds the library now; `atStart` held it when this service
 * opened read-only because of it; neither: the service was opened to read only.
 */
export function libraryInUse(dataDir: string, holder: LockHolder | undefined, atStart?: LockHolder): KbError {
  if (holder) {
    return new KbError(
      'LibraryInUse',
      `The library in ${dataDir} is in use by ${describeHolder(holder)}: wait for it to finish or stop it, then try again. Searching works meanwhile.`,
    );
  }
  if (atStart) {
    return new KbError(
      'LibraryInUse',
      `The library in ${dataDir} was in use by ${describeHolder(atStart)} when this process started, so it opened the library read-only. That has ended: restart this program to add or change documents.`,
    );
  }
  return new KbError('LibraryInUse', `The library in ${dataDir} was opened read-only by this process: add or change documents from the app, the server or \`kb index\`.`);
}

/** Who this process is to others, unless the adapter says. */
export function defaultRole(): string {
  return process.versions.electron ? 'the qckstrt app' : 'a qckstrt process';
}

/**
 * Takes the library for a service: with the lock it writes; without it (another process holds
 * the library, or `read` access) it opens read-only. `write` access refuses to open read-only.
 */
export function claimLibrary(dataDir: string, access: 'auto' | 'write' | 'read', role: string): { lock?: LibraryLock; holder?: LockHolder } {
  if (access === 'read') return {};
  const attempt = tryLockLibrary(dataDir, role);
  if (attempt.acquired) return { lock: attempt.lock };
  if (access === 'write') throw libraryInUse(dataDir, attempt.holder);
  return { holder: attempt.holder };
}

/**
 * Makes `service`'s write methods reject with `refusal()` (asked at call time, so it names the
 * current holder). Own properties shadow the class's methods; nothing else changes.
 */
export function refuseWrites(service: KbApi, refusal: () => KbError): void {
  for (const method of WRITE_METHODS) {
    Object.defineProperty(service, method, { value: () => Promise.reject(refusal()), configurable: true, writable: true });
  }
}
