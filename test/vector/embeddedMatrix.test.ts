import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../core/relational/sqliteDatabase';
import { EmbeddedVectorStore } from '../../core/vector/embeddedStore';
import type { ChunkVector, VectorMatch } from '../../core/vector/types';
import { tempDir } from '../helpers/tempDir';

/**
 * The embedded store's in-memory copy of the vectors against vec0 itself, on one SQLite file:
 * every answer must be the same (ids, order, scores), through writes made while it is built,
 * writes by another connection, rolled-back writes and the memory budget.
 */
const DIMS = 8;
let seed = 11;
const rnd = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const vector = () => Float32Array.from({ length: DIMS }, rnd);
const chunks = (doc: string, n: number): ChunkVector[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${doc}:${i}`, chunkIndex: i, embedding: vector(), content: `${doc} ${i}`, charStart: i, charEnd: i + 1 }));
const same = (got: VectorMatch[], want: VectorMatch[]) => {
  expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
  got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
  expect(got.map(({ score: _s, ...h }) => h)).toEqual(want.map(({ score: _s, ...h }) => h));
};

async function until(store: EmbeddedVectorStore, state: 'ready' | 'off'): Promise<void> {
  for (let i = 0; i < 500 && store.memoryIndex().state !== state; i++) await new Promise((r) => setTimeout(r, 5));
  expect(store.memoryIndex()).toMatchObject({ state });
}

describe('EmbeddedVectorStore: the in-memory copy answers exactly as vec0 does', () => {
  const dir = tempDir();
  const path = join(dir.path, 'kb.sqlite');
  const db = openSqlite(path);
  const store = new EmbeddedVectorStore(db);
  const reference = new EmbeddedVectorStore(db, '', { matrixBudgetBytes: 0 }); // vec0 only
  const others: SqliteDb[] = [];
  afterAll(() => {
    others.forEach((o) => o.close());
    db.close();
    dir.cleanup();
  });

  const compare = async (queries = 15) => {
    for (let q = 0; q < queries; q++) {
      const query = vector();
      for (const user of ['alice', 'bob']) {
        same(await store.query(query, user, 30), await reference.query(query, user, 30));
        const docs = [`${user}-3`, `${user}-40`, 'bob-7'];
        same(await store.query(query, user, 12, { documentIds: docs }), await reference.query(query, user, 12, { documentIds: docs }));
      }
    }
  };

  it('builds in the background at the first search (vec0 answers meanwhile) and then gives the same hits', async () => {
    await store.connect(DIMS);
    await reference.connect(DIMS);
    // 2,600 vectors: three vec0 chunks of 1,024 per user, the last ones partly filled.
    for (let d = 0; d < 130; d++) await store.upsert(d % 2 ? 'bob' : 'alice', `${d % 2 ? 'bob' : 'alice'}-${d}`, chunks(`${d % 2 ? 'bob' : 'alice'}-${d}`, 20));
    expect(store.memoryIndex()).toMatchObject({ state: 'off', reason: /next search/ });
    const query = vector();
    same(await store.query(query, 'alice', 10), await reference.query(query, 'alice', 10));
    expect(store.memoryIndex().state).toBe('building');
    await until(store, 'ready');
    expect(store.memoryIndex()).toMatchObject({ vectors: 2600 });
    await compare();
  });

  it('stays exact through re-indexing and deletes, also while it is being built', async () => {
    await store.upsert('alice', 'alice-4', chunks('alice-4', 5)); // fewer chunks than before
    expect(await store.deleteByDocument('bob-7')).toBe(20);
    await store.upsert('bob', 'bob-new', chunks('bob-new', 7));
    await compare(5);
    expect(store.memoryIndex()).toMatchObject({ state: 'ready', vectors: 2600 - 15 - 20 + 7 });

    // Rebuild (another connection wrote), and write between the build's steps.
    const other = openSqlite(path);
    others.push(other);
    const second = new EmbeddedVectorStore(other);
    await second.connect(DIMS);
    await second.upsert('alice', 'alice-from-elsewhere', chunks('alice-from-elsewhere', 3));
    const query = vector();
    // The copy is stale now: vec0 answers (with the other connection's rows) and a rebuild starts.
    same(await store.query(query, 'alice', 50), await reference.query(query, 'alice', 50));
    expect(store.memoryIndex().state).toBe('building');
    await store.upsert('bob', 'bob-during-build', chunks('bob-during-build', 9));
    await store.deleteByDocument('alice-40');
    await store.upsert('alice', 'alice-5', chunks('alice-5', 2));
    await until(store, 'ready');
    expect(store.memoryIndex().vectors).toBe(await reference.count());
    await compare(5);
  });

  it('drops the copy when it writes inside a transaction that may still roll back', async () => {
    await store.query(vector(), 'alice', 1);
    await until(store, 'ready');
    const before = await store.count();
    const attempt = db.transaction(() => {
      void store.upsert('alice', 'alice-rolled-back', chunks('alice-rolled-back', 4));
      throw new Error('changed my mind');
    });
    expect(attempt).toThrow('changed my mind');
    expect(await store.count()).toBe(before);
    expect(store.memoryIndex().state).toBe('off');
    await compare(3); // vec0 now, and a rebuild starts
    await until(store, 'ready');
    expect(store.memoryIndex().vectors).toBe(before);
    await compare(3);
  });

  it('is not built over its memory budget, nor on a read-only connection; vec0 answers the same', async () => {
    const small = new EmbeddedVectorStore(db, '', { matrixBudgetBytes: 10_000 });
    await small.connect(DIMS);
    const query = vector();
    same(await small.query(query, 'bob', 20), await reference.query(query, 'bob', 20));
    await until(small, 'off');
    expect(small.memoryIndex().reason).toMatch(/vectors would take more than 0 MB/);

    const readOnlyDb = openSqlite(path, undefined, { readOnly: true });
    others.push(readOnlyDb);
    const readOnly = new EmbeddedVectorStore(readOnlyDb);
    await readOnly.connect(DIMS);
    same(await readOnly.query(query, 'bob', 20), await reference.query(query, 'bob', 20));
    expect(readOnly.memoryIndex()).toMatchObject({ state: 'off', reason: /another process writes/ });
  });

  it('starts afresh after drop and reconnect', async () => {
    await store.drop();
    await store.connect(DIMS);
    expect(store.memoryIndex().state).toBe('off');
    expect(await store.query(vector(), 'alice', 5)).toEqual([]);
    await store.upsert('alice', 'a', chunks('a', 3));
    await until(store, 'ready');
    expect(store.memoryIndex().vectors).toBe(3);
    expect((await store.query(vector(), 'alice', 5)).map((h) => h.documentId)).toEqual(['a', 'a', 'a']);
  });
});
