import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreCounts } from '../api/providerChange';
import type { StorageSize } from '../api/types';
import type { StoreSize } from './storeSize';
import type { RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';

/**
 * The figures Status asks of the stores. Each query runs in parallel with the others, and a store
 * that is down gives 0 (counts) or no figure (sizes) rather than failing the whole Status.
 */
export interface StatusStores {
  relational: RelationalStore;
  vector: VectorStore;
  /** Resolves once the vector store is connected (it needs the model's dimension). */
  vectorReady: Promise<void>;
}

const orZero = (p: Promise<number>) => p.catch(() => 0);

/** What each store holds for one user. */
export async function storeCounts({ relational, vector, vectorReady }: StatusStores, userId: string): Promise<StoreCounts> {
  const [docs, vectors, keywordChunks] = await Promise.all([
    relational.listDocuments(userId).catch(() => []),
    orZero(vectorReady.then(() => vector.count(userId))),
    orZero(relational.countKeywordChunks(userId)),
  ]);
  return { documents: docs.length, chunks: docs.reduce((n, d) => n + d.chunkCount, 0), vectors, keywordChunks };
}

/** Bytes in each store and in the kept originals, with notes on what a figure includes or why it is absent. */
export async function storageSize({ relational, vector }: StatusStores, filesDir: string): Promise<StorageSize> {
  const unknown = (name: string): StoreSize => ({ note: `The ${name} store did not report its size (not reachable).` });
  const [rel, vec, filesBytes] = await Promise.all<[Promise<StoreSize>, Promise<StoreSize>, Promise<number>]>([
    relational.storageSize ? relational.storageSize().catch(() => unknown(relational.provider)) : Promise.resolve({ note: `The ${relational.provider} store cannot report its size.` }),
    // A vector store not yet connected has no table to measure: it reports once the model is ready.
    vector.storageSize ? vector.storageSize().catch(() => unknown(vector.provider)) : Promise.resolve({ note: `The ${vector.provider} store cannot report its size.` }),
    folderBytes(filesDir),
  ]);
  return {
    ...(rel.bytes !== undefined ? { relationalBytes: rel.bytes } : {}),
    ...(vec.bytes !== undefined ? { vectorBytes: vec.bytes } : {}),
    filesBytes,
    notes: [rel.note, vec.note].filter((n): n is string => n !== undefined),
  };
}

/** The total size of the files under a folder (0 when it does not exist yet). */
export async function folderBytes(dir: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  // `parentPath` from Node 20.12, `path` before it.
  const parentOf = (e: Dirent) => (e as Dirent & { parentPath?: string }).parentPath ?? e.path;
  const sizes = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => stat(join(parentOf(e), e.name)).then((s) => s.size, () => 0)),
  );
  return sizes.reduce((a, b) => a + b, 0);
}
