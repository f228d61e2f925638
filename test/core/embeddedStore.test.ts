import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openSqlite } from '../../core/relational/sqliteDatabase';
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

describe('EmbeddedVectorStore: a database written before chunk locations', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  // The schema as releases before locations left it (migration 1 only), copied here on purpose:
  // the test is that such a file upgrades, so it must not follow later changes to the store.
  const V1 = `CREATE TABLE vec_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE vec_chunks (
      rowid INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, document_id TEXT NOT NULL,
      chunk_index INTEGER NOT NULL, content TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL
    );
    CREATE INDEX vec_chunks_document ON vec_chunks(document_id);
    CREATE INDEX vec_chunks_user ON vec_chunks(user_id);
    CREATE VIRTUAL TABLE vec_index USING vec0(user_id text partition key, embedding float[3] distance_metric=cosine);
    INSERT INTO vec_meta VALUES ('dimensions', '3');`;

  it.each(['', 'g2'])('upgrades generation "%s" in place, keeping its rows', async (generation) => {
    const db = openSqlite(join(dir.path, `old-${generation || 'first'}.sqlite`));
    const suffix = generation ? `_${generation}` : '';
    const t = (name: string) => `${name}${suffix}`;
    migrate(db, t('vector_migrations'), [V1.replace(/\bvec_(meta|chunks|index)/g, `vec_$1${suffix}`)]);
    const insertChunk = db.prepare(
      `INSERT INTO ${t('vec_chunks')} (chunk_id, user_id, document_id, chunk_index, content, char_start, char_end)
       VALUES (?, 'alice', 'old', ?, ?, 0, 3)`,
    );
    const insertVec = db.prepare(`INSERT INTO ${t('vec_index')} (rowid, user_id, embedding) VALUES (?, 'alice', ?)`);
    [[1, 0, 0], [0, 1, 0]].forEach((e, i) => {
      const { lastInsertRowid } = insertChunk.run(`old:${i}`, i, `old ${i}`);
      insertVec.run(BigInt(lastInsertRowid), unit(e));
    });

    const store = new EmbeddedVectorStore(db, generation);
    await store.connect(3);
    const columns = (db.prepare(`PRAGMA table_info(${t('vec_chunks')})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('location');
    const versions = db.prepare(`SELECT version FROM ${t('vector_migrations')} ORDER BY version`).pluck().all();
    expect(versions).toEqual([1, 2]);

    // The old rows are all there, found and scanned, without a location.
    expect(await store.count()).toBe(2);
    const [hit] = await store.query(unit([0, 1, 0]), 'alice', 1);
    expect(hit).toMatchObject({ chunkId: 'old:1', content: 'old 1' });
    expect(hit!.location).toBeUndefined();
    const docs = [];
    for await (const d of store.scanDocuments()) docs.push(d);
    expect(docs.map((d) => d.chunks.map((c) => [c.id, c.location]))).toEqual([[['old:0', undefined], ['old:1', undefined]]]);

    // New chunks keep theirs, beside the old ones.
    await store.upsert('alice', 'new', [{ ...chunk('new:0', [0, 0, 1]), location: { headingPath: ['Setup'], pageStart: 4, pageEnd: 4 } }]);
    expect((await store.query(unit([0, 0, 1]), 'alice', 1))[0]!.location).toEqual({ headingPath: ['Setup'], pageStart: 4, pageEnd: 4 });
    expect(await store.documentChunkCounts()).toEqual(new Map([['old', 2], ['new', 1]]));

    // Reconnecting does not run the migration again.
    await new EmbeddedVectorStore(db, generation).connect(3);
    expect(await store.count()).toBe(3);
    db.close();
  });
});
