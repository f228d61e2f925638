/**
 * `npm run bench:vectors`: recall@10 and query latency of every vector provider on the same
 * 10,000 clustered 384-d chunks (10 users), measured side by side in one run on real backends.
 */
import { settingsSchema } from '../core/api/settings';
import { embeddedVectorStore } from '../core/relational/sqliteProvider';
import { openSqlite } from '../core/relational/sqliteDatabase';
import { PgDatabase } from '../core/relational/postgres/pgDatabase';
import { chromaVectorStore } from '../core/vector/chroma/chromaStore';
import { pgvectorStore } from '../core/vector/pgvector/pgvectorStore';
import type { VectorStore } from '../core/vector/types';
import { chunk, clusteredVectors, cosine } from '../test/contract/vectorFixtures';
import { tempDir } from '../test/helpers/tempDir';
import { startChroma } from '../test/services/chroma';
import { pgSettingsOf, startPgvector } from '../test/services/pgvectorServer';

const N = Number(process.env.BENCH_VECTORS ?? 10_000);
const DIMS = 384;
const USERS = Number(process.env.BENCH_USERS ?? 10);
const PER_DOC = 20;
const QUERIES = 100;

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

async function measure(name: string, store: VectorStore, vectors: Float32Array[], queries: Float32Array[]) {
  await store.connect(DIMS);
  const t0 = performance.now();
  for (let d = 0; d < N / PER_DOC; d++) {
    const chunks = vectors.slice(d * PER_DOC, (d + 1) * PER_DOC).map((e, i) => chunk(`doc-${d}`, i, e));
    await store.upsert(`user-${d % USERS}`, `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`, chunks);
  }
  const loadMs = performance.now() - t0;
  const owner = (i: number) => Math.floor(i / PER_DOC) % USERS;
  let found = 0;
  const lat: number[] = [];
  for (const [qi, q] of queries.entries()) {
    const user = qi % USERS;
    const exact = vectors
      .map((e, i) => ({ i, s: owner(i) === user ? cosine(q, e) : -2 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((x) => `doc-${Math.floor(x.i / PER_DOC)}:${x.i % PER_DOC}`);
    const s = performance.now();
    const hits = await store.query(q, `user-${user}`, 10);
    lat.push(performance.now() - s);
    found += hits.filter((h) => exact.includes(h.chunkId)).length;
  }
  lat.sort((a, b) => a - b);
  return { provider: name, recall: found / (QUERIES * 10), p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), loadS: loadMs / 1000 };
}

async function main() {
  const vectors = clusteredVectors(N, DIMS, 50, 11);
  const queries = clusteredVectors(QUERIES, DIMS, 50, 12);
  const dir = tempDir('qckstrt-bench-');
  const [chroma, pg] = await Promise.all([startChroma(), startPgvector()]);
  const results = [];
  try {
    const db = openSqlite(`${dir.path}/kb.sqlite`);
    results.push(await measure('embedded (sqlite-vec, exact)', embeddedVectorStore(db), vectors, queries));
    db.close();
    const vectorSettings = settingsSchema.parse({ vector: { chromaUrl: chroma.url, chromaCollection: 'bench' } }).vector;
    const c = chromaVectorStore(vectorSettings);
    results.push(await measure('chromadb (HNSW)', c, vectors, queries));
    await c.close();
    const pgdb = new PgDatabase(pgSettingsOf(pg));
    const p = pgvectorStore(pgdb, vectorSettings);
    results.push(await measure('pgvector (HNSW, iterative scan)', p, vectors, queries));
    await pgdb.close();
  } finally {
    await Promise.all([chroma.dispose(), pg.dispose()]);
    dir.cleanup();
  }
  console.log(`\n${N} chunks × ${DIMS}-d, ${USERS} users, ${QUERIES} per-user top-10 queries`);
  console.log('provider                           recall@10   p50 ms   p95 ms   p99 ms   load s');
  for (const r of results) {
    console.log(
      `${r.provider.padEnd(35)}${r.recall.toFixed(3).padStart(9)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${r.loadS.toFixed(1).padStart(9)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
