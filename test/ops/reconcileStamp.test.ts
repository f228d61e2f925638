import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { CLEAN_CLOSE_FILE, reconcileStores, recordCleanClose, stampStores, takeCleanClose } from '../../core/ops/reconcile';
import type { DocumentRecord, JobRecord } from '../../core/relational/types';
import { openStores, type Stores } from '../../core/service/providers';
import type { VectorStore } from '../../core/vector/types';
import { tempDir } from '../helpers/tempDir';

const USER = 'local';
const DIMS = 4;

/**
 * The embedded vector store with what a ChromaDB store has: a content stamp that changes on every
 * write. It counts how often every vector's count is read, which is what a clean start must skip.
 */
function spied(inner: VectorStore) {
  let writes = 0;
  const calls = { documentChunkCounts: 0 };
  const store: VectorStore = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'contentStamp') return async () => `spy:${writes}:${await target.count()}`;
      if (key === 'documentChunkCounts') {
        return () => {
          calls.documentChunkCounts++;
          return target.documentChunkCounts();
        };
      }
      if (key === 'upsert' || key === 'deleteByDocument') {
        return (...args: unknown[]) => {
          writes++;
          return (target[key] as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { store, calls };
}

function doc(id: string, chunkCount: number): DocumentRecord {
  const now = new Date().toISOString();
  return { id, userId: USER, name: `${id}.txt`, sourceKey: `/docs/${id}.txt`, sourcePath: null, storageKey: id, contentHash: id, mimeType: 'text/plain', size: 1, chunkCount, uploadedAt: now, updatedAt: now };
}

async function addDocument(stores: Stores, vector: VectorStore, id: string, chunks: number): Promise<void> {
  const parts = Array.from({ length: chunks }, (_, i) => ({ chunkIndex: i, content: `part ${i}`, charStart: i, charEnd: i + 1 }));
  await vector.upsert(USER, id, parts.map((p) => ({ ...p, id: `${id}:${p.chunkIndex}`, embedding: new Float32Array(DIMS).fill(p.chunkIndex + 1) })));
  await stores.relational.saveDocument(doc(id, chunks), parts.map((p) => p.content).join(' '), undefined, parts);
}

describe('start-up reconciliation after a clean close', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** SQLite rows and embedded vectors behind the spy, with two documents in step. */
  async function library() {
    const dir = tempDir('qckstrt-reconcile-stamp-');
    const stores = openStores(settingsSchema.parse({}), dir.path);
    cleanups.push(dir.cleanup, () => stores.close());
    await stores.relational.connect();
    await stores.relational.ensureUser(USER, 'local@example.com');
    await stores.vector.connect(DIMS);
    const { store, calls } = spied(stores.vector);
    await addDocument(stores, store, 'doc-a', 3);
    await addDocument(stores, store, 'doc-b', 2);
    const queued: string[] = [];
    const reconcile = (lastClose?: Awaited<ReturnType<typeof stampStores>>) =>
      reconcileStores({
        relational: stores.relational,
        vector: store,
        enqueueRepairs: async (docs) => queued.push(...docs.map((d) => d.id)),
        enqueueKeywordBuilds: async () => {},
        ...(lastClose ? { lastClose } : {}),
      });
    return { dir, stores, store, calls, queued, reconcile };
  }

  it('does not read every vector when neither store changed since the clean close', async () => {
    const { stores, store, calls, reconcile } = await library();
    const stamp = await stampStores({ relational: stores.relational, vector: store });
    expect(stamp).toBeDefined();
    const result = await reconcile(stamp);
    expect(result).toEqual({ orphansRemoved: 0, repairsQueued: 0, keywordBuildsQueued: 0, vectorsRead: false });
    expect(calls.documentChunkCounts).toBe(0);
  });

  it('reads every vector after an unclean stop (no stamp), and repairs what the crash left', async () => {
    const { stores, store, calls, queued, reconcile } = await library();
    // What a crash between the stores leaves: vectors of a document whose row never came.
    await store.upsert(USER, 'doc-ghost', [{ id: 'doc-ghost:0', chunkIndex: 0, embedding: new Float32Array(DIMS).fill(1), content: 'ghost', charStart: 0, charEnd: 5 }]);
    const result = await reconcile(undefined);
    expect(calls.documentChunkCounts).toBe(1);
    expect(result).toMatchObject({ orphansRemoved: 1, repairsQueued: 0, vectorsRead: true });
    expect(queued).toEqual([]);
    expect(await stores.vector.documentChunkCounts()).toEqual(new Map([['doc-a', 3], ['doc-b', 2]]));
  });

  it('reads every vector when the vector store was written since, even with the same totals', async () => {
    const { stores, store, calls, queued, reconcile } = await library();
    const stamp = await stampStores({ relational: stores.relational, vector: store });
    // One document's vectors lost, another's orphan added: the totals still agree.
    await store.deleteByDocument('doc-b');
    await store.upsert(USER, 'doc-ghost', [0, 1].map((i) => ({ id: `doc-ghost:${i}`, chunkIndex: i, embedding: new Float32Array(DIMS).fill(1), content: 'ghost', charStart: 0, charEnd: 5 })));
    expect(await store.count()).toBe(5);
    const result = await reconcile(stamp);
    expect(calls.documentChunkCounts).toBe(1);
    expect(result).toMatchObject({ orphansRemoved: 1, repairsQueued: 1, vectorsRead: true });
    expect(queued).toEqual(['doc-b']);
  });

  it('reads every vector when the relational store changed since', async () => {
    const { stores, store, calls, reconcile } = await library();
    const stamp = await stampStores({ relational: stores.relational, vector: store });
    await stores.relational.deleteDocument('doc-a'); // a delete that stopped before its vectors went
    const result = await reconcile(stamp);
    expect(calls.documentChunkCounts).toBe(1);
    expect(result).toMatchObject({ orphansRemoved: 1, vectorsRead: true });
  });

  it('vouches for nothing at close when the stores disagree, jobs are unfinished or the store has no stamp', async () => {
    const { stores, store } = await library();
    expect(await stampStores({ relational: stores.relational, vector: stores.vector })).toBeUndefined(); // embedded: no stamp
    await stores.vector.deleteByDocument('doc-b');
    expect(await stampStores({ relational: stores.relational, vector: store })).toBeUndefined(); // 3 vectors for 5 chunks
    await addDocument(stores, store, 'doc-b', 2);
    expect(await stampStores({ relational: stores.relational, vector: store })).toBeDefined();
    const now = new Date().toISOString();
    const job: JobRecord = { id: 'job-1', kind: 'file', batchId: 'b', userId: USER, fileName: 'c.txt', sourceKey: '/docs/c.txt', sourcePath: '/docs/c.txt', storageKey: null, state: 'queued', chunksDone: 0, chunksTotal: 0, documentId: null, note: null, errorKind: null, errorMessage: null, createdAt: now, updatedAt: now };
    await stores.relational.createJobs([job]);
    expect(await stampStores({ relational: stores.relational, vector: store })).toBeUndefined();
  });

  it('the clean-close record is taken at start: a run that then dies leaves none', async () => {
    const { dir } = await library();
    expect(takeCleanClose(dir.path)).toBeUndefined();
    recordCleanClose(dir.path, { rows: 'r', vector: 'v' });
    expect(existsSync(join(dir.path, CLEAN_CLOSE_FILE))).toBe(true);
    expect(takeCleanClose(dir.path)).toEqual({ rows: 'r', vector: 'v' });
    expect(existsSync(join(dir.path, CLEAN_CLOSE_FILE))).toBe(false);
    expect(takeCleanClose(dir.path)).toBeUndefined();
  });
});
