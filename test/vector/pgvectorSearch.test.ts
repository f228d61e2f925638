import { beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { nearestChunksSql } from '../../core/vector/pgvector/querySql';
import { searchSettings } from '../../core/vector/pgvector/searchSettings';
import { pgvectorStore } from '../../core/vector/pgvector/pgvectorStore';
import { vectorTableNames } from '../../core/vector/pgvector/vectorTable';
import { toVectorSql } from '../../core/vector/pgvector/vectorText';
import { chunk, clusteredVectors, cosine } from '../contract/vectorFixtures';
import { usePgvectorServer } from '../services/pgvectorHarness';

/**
 * The HNSW index and the per-user "pgvector trap" on a real PostgreSQL 17 + pgvector 0.8:
 * without iterative scans a filtered top-10 comes back short; the store's queries do not.
 */
const pgv = usePgvectorServer();
const vectorSettings = settingsSchema.parse({}).vector;

async function freshDb(name: string): Promise<PgDatabase> {
  await pgv.createDatabase(name);
  return pgv.open(name);
}

describe('pgvector search: which plan serves whom', () => {
  // The contract's recall test, in shape: 3,000 vectors, carol owns 1,000, dave 2,000.
  const DIMS = 32;
  const vectors = clusteredVectors(3_000, DIMS, 30, 7);
  let db: PgDatabase;
  let store: ReturnType<typeof pgvectorStore>;
  /** Index scans of the HNSW index within the current transaction (this session's own counter). */
  const hnswScans = async () =>
    (await db.query<{ n: string }>(`SELECT pg_stat_get_xact_numscans('vector_embeddings_embedding_hnsw'::regclass) AS n`)).rows[0]!.n;

  beforeAll(async () => {
    db = await freshDb('plan_db');
    store = pgvectorStore(db, vectorSettings, { indexThreshold: 1_000 });
    await store.connect(DIMS);
    for (let d = 0; d < 60; d++) {
      await store.upsert(d % 3 === 0 ? 'carol' : 'dave', `rec-${d}`, vectors.slice(d * 50, (d + 1) * 50).map((e, i) => chunk(`rec-${d}`, i, e)));
    }
    await store.upsert('erin', 'small', vectors.slice(0, 20).map((e, i) => chunk('small', i, e)));
  }, 60_000);

  it('builds the index when the first user reaches the threshold, and says how long it took', () => {
    const stats = store.indexStats();
    expect(stats).toMatchObject({ indexed: true, rowsAtBuild: 1_500 }); // dave's 1,000th row came with document 29
    expect(stats.buildMs).toBeGreaterThan(0);
  });

  it('plans a big user\'s query as an HNSW index scan (EXPLAIN)', async () => {
    const plan = await db.transaction(async () => {
      for (const [name, value] of searchSettings('index', { efSearch: 100, topK: 10, timeoutMs: 10_000 })) {
        await db.query('SELECT set_config($1, $2, true)', [name, value]);
      }
      const { rows } = await db.query(`EXPLAIN ${nearestChunksSql(vectorTableNames(), false)}`, [toVectorSql(vectors[7]!), 'carol', 10]);
      return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    });
    expect(plan).toMatch(/Index Scan using vector_embeddings_embedding_hnsw/);
  });

  it('walks the index for users with enough rows, and searches a small user\'s rows exactly', async () => {
    await db.transaction(async () => {
      const before = await hnswScans();
      expect(await store.query(vectors[7]!, 'carol', 10)).toHaveLength(10);
      expect(Number(await hnswScans())).toBeGreaterThan(Number(before));
    });
    await db.transaction(async () => {
      const before = await hnswScans();
      const hits = await store.query(vectors[7]!, 'erin', 10);
      expect(Number(await hnswScans())).toBe(Number(before));
      const exact = vectors
        .slice(0, 20)
        .map((e, i) => ({ id: `small:${i}`, s: cosine(vectors[7]!, e) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((x) => x.id);
      expect(hits.map((h) => h.chunkId)).toEqual(exact);
    });
  });
});

describe('pgvector search: the per-user trap', () => {
  const DIMS = 32;
  const N = 10_000;
  const USERS = 20; // each user owns 5% of the rows: most of the index's candidates are someone else's
  const PER_DOC = 50;
  const vectors = clusteredVectors(N, DIMS, 30, 7);
  const owner = (doc: number) => `u${doc % USERS}`;
  const queries = clusteredVectors(30, DIMS, 30, 99);
  let db: PgDatabase;
  let store: ReturnType<typeof pgvectorStore>;

  const exactTop10 = (q: Float32Array, user: string) =>
    vectors
      .map((e, i) => ({ id: `d${Math.floor(i / PER_DOC)}:${i % PER_DOC}`, doc: Math.floor(i / PER_DOC), s: cosine(q, e) }))
      .filter((x) => owner(x.doc) === user)
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((x) => x.id);

  beforeAll(async () => {
    db = await freshDb('trap_db');
    // Every user (500 rows) is past this threshold, so every query below walks the index.
    store = pgvectorStore(db, vectorSettings, { indexThreshold: 100 });
    await store.connect(DIMS);
    for (let d = 0; d < N / PER_DOC; d++) {
      await store.upsert(owner(d), `d${d}`, vectors.slice(d * PER_DOC, (d + 1) * PER_DOC).map((e, i) => chunk(`d${d}`, i, e)));
    }
  }, 120_000);

  it('returns the full top-10 for every user query, where a plain HNSW scan comes back short', async () => {
    let plainRows = 0;
    let plainFound = 0;
    let found = 0;
    const latencies: number[] = [];
    for (const [i, q] of queries.entries()) {
      const user = `u${i % USERS}`;
      const exact = exactTop10(q, user);
      // The trap, as pgvector behaves by default (ef_search 40, no iterative scan) when the
      // planner picks the index, as it does on bigger tables.
      const plain = await db.transaction(async () => {
        await db.query(`SET LOCAL hnsw.iterative_scan = off`);
        await db.query(`SET LOCAL hnsw.ef_search = 40`);
        await db.query(`SET LOCAL enable_seqscan = off`);
        await db.query(`SET LOCAL enable_bitmapscan = off`);
        await db.query(`SET LOCAL enable_sort = off`);
        return (await db.query<{ id: string }>(nearestChunksSql(vectorTableNames(), false), [toVectorSql(q), user, 10])).rows.map((r) => r.id);
      });
      plainRows += plain.length;
      plainFound += plain.filter((id) => exact.includes(id)).length;

      const t0 = performance.now();
      const hits = await store.query(q, user, 10);
      latencies.push(performance.now() - t0);
      expect(hits).toHaveLength(10);
      expect(hits.every((h) => h.documentId.startsWith('d') && owner(Number(h.documentId.slice(1))) === user)).toBe(true);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      found += hits.filter((h) => exact.includes(h.chunkId)).length;
    }
    const recall = found / (queries.length * 10);
    latencies.sort((a, b) => a - b);
    console.log(
      `[pgvector trap] ${N} x ${DIMS}-d, ${USERS} users: plain HNSW ${(plainRows / queries.length).toFixed(1)} rows/query, recall@10 ${(plainFound / (queries.length * 10)).toFixed(3)}; ` +
        `iterative_scan recall@10 ${recall.toFixed(3)}, p50 ${latencies[15]!.toFixed(1)} ms`,
    );
    expect(plainRows / queries.length).toBeLessThan(10); // the trap is real on this server
    // Filtered HNSW is approximate: 0.72-0.75 measured for 5% users (m 16, ef_construction 64,
    // ef_search 100), 0.87 at ef_search 400. Why users this small are searched exactly by default.
    expect(recall).toBeGreaterThanOrEqual(0.6);
  });

  it('still returns the full top-K with a document filter', async () => {
    const docs = ['d3', 'd23', 'd43']; // all u3's
    const hits = await store.query(queries[0]!, 'u3', 10, { documentIds: docs });
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => docs.includes(h.documentId))).toBe(true);
  });
});

describe('pgvector search: when the index is built', () => {
  const DIMS = 8;
  const rows = (doc: string, n: number) => clusteredVectors(n, DIMS, 4, doc.length).map((e, i) => chunk(doc, i, e));

  it('not on a small table; at the threshold; or on request after a bulk load', async () => {
    const db = await freshDb('threshold_db');
    const store = pgvectorStore(db, vectorSettings, { indexThreshold: 100 });
    await store.connect(DIMS);
    expect(store.indexStats()).toEqual({ indexed: false });
    await store.upsert('alice', 'a', rows('a', 60));
    expect(store.indexStats().indexed).toBe(false);
    await store.upsert('alice', 'bb', rows('bb', 60));
    expect(store.indexStats()).toMatchObject({ indexed: true, rowsAtBuild: 120 });

    // A later store on the same table finds the index (no build of its own, so no build time).
    const again = pgvectorStore(db, vectorSettings, { indexThreshold: 100 });
    await again.connect(DIMS);
    expect(again.indexStats()).toEqual({ indexed: true });

    const bulk = await freshDb('bulk_db');
    const loader = pgvectorStore(bulk, vectorSettings, { indexThreshold: 1_000_000 });
    await loader.connect(DIMS);
    expect(await loader.buildIndex()).toEqual({ indexed: false }); // nothing to index yet
    await loader.upsert('alice', 'a', rows('a', 30));
    expect(await loader.buildIndex()).toMatchObject({ indexed: true, rowsAtBuild: 30 });
  });

  it('never waits on the caller\'s own open transaction (no deadlock), and builds after it commits', async () => {
    const db = await freshDb('deferred_db');
    const quiet = pgvectorStore(db, vectorSettings, { indexThreshold: 1_000_000 });
    await quiet.connect(DIMS);
    await quiet.upsert('alice', 'a', rows('a', 150));
    const store = pgvectorStore(db, vectorSettings, { indexThreshold: 100 });
    await store.connect(DIMS);
    await db.transaction(async () => {
      await db.query('SELECT 1'); // the service's own row writes would be here
      await store.upsert('alice', 'bb', rows('bb', 10)); // crosses the threshold inside an open transaction
      expect(store.indexStats().indexed).toBe(false); // deferred: the open transaction holds the table
    });
    await store.upsert('alice', 'ccc', rows('ccc', 10));
    expect(store.indexStats()).toMatchObject({ indexed: true, rowsAtBuild: 170 });
  });
});
