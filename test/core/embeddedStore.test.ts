import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { EmbeddedVectorStore } from '../../core/vector/embeddedStore';
import type { ChunkVector } from '../../core/vector/types';
import { tempDir } from '../helpers/tempDir';

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return new Float32Array(v.map((x) => x / n));
};
const chunk = (id: string, v: number[], content = id): ChunkVector => ({
  id,
  chunkIndex: Number(id.split(':')[1] ?? 0),
  embedding: unit(v),
  content,
  charStart: 0,
  charEnd: content.length,
});

describe('EmbeddedVectorStore (sqlite-vec)', () => {
  const dir = tempDir();
  const path = join(dir.path, 'kb.sqlite');
  const db = openSqlite(path);
  const store = new EmbeddedVectorStore(db);
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  it('stores, queries by cosine similarity, and scopes every query to one user', async () => {
    await store.connect(3);
    await store.upsert('alice', 'd1', [chunk('d1:0', [1, 0, 0]), chunk('d1:1', [0, 1, 0])]);
    await store.upsert('bob', 'd2', [chunk('d2:0', [1, 0.01, 0])]);
    const hits = await store.query(unit([1, 0.1, 0]), 'alice', 10);
    expect(hits.map((h) => h.chunkId)).toEqual(['d1:0', 'd1:1']);
    expect(hits[0]!.score).toBeGreaterThan(0.99);
    expect(hits.every((h) => h.documentId === 'd1')).toBe(true);
    expect(await store.query(unit([1, 0, 0]), 'carol', 10)).toEqual([]);
    expect(await store.count()).toBe(3);
    expect(await store.count('alice')).toBe(2);
  });

  it('re-indexing replaces every chunk of the document (no stale chunk)', async () => {
    await store.upsert('alice', 'd1', [chunk('d1:0', [0, 0, 1], 'new')]);
    const hits = await store.query(unit([0, 1, 0]), 'alice', 10);
    expect(hits.map((h) => h.content)).toEqual(['new']);
    expect(await store.count('alice')).toBe(1);
  });

  it('deletes a document with all its vectors', async () => {
    expect(await store.deleteByDocument('d2')).toBe(1);
    expect(await store.query(unit([1, 0, 0]), 'bob', 10)).toEqual([]);
  });

  it('refuses a vector of the wrong dimension, naming both numbers', async () => {
    await expect(store.upsert('alice', 'd3', [chunk('d3:0', [1, 0])])).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/2 dimensions.*expects 3/),
    });
    await expect(store.query(new Float32Array(5), 'alice', 3)).rejects.toMatchObject({ kind: 'DimensionMismatch' });
  });

  it('keeps its data across a reopen and refuses a model of another dimension while it holds vectors', async () => {
    const db2 = openSqlite(path);
    const reopened = new EmbeddedVectorStore(db2);
    await expect(reopened.connect(384)).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/384.*3-dimensional/),
    });
    await reopened.connect(3);
    expect(await reopened.count()).toBe(1);
    db2.close();
  });
});
