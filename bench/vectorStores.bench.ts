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
import { tempDir } from '../test/helpers/tempDir';
import { startChroma } from '../test/services/chroma';
import { pgSettingsOf, startPgvector } from '../test/services/pgvectorServer';
import { measureRecall, recallData } from './shared/vectorRecall';

const N = Number(process.env.BENCH_VECTORS ?? 10_000);
const DIMS = 384;
const USERS = Number(process.env.BENCH_USERS ?? 10);
const PER_DOC = 20;
const QUERIES = 100;

const SETUP = { n: N, dims: DIMS, users: USERS, perDoc: PER_DOC, queries: QUERIES };

async function main() {
  const data = recallData(SETUP);
  const dir = tempDir('qckstrt-bench-');
  const [chroma, pg] = await Promise.all([startChroma(), startPgvector()]);
  const results = [];
  try {
    const db = openSqlite(`${dir.path}/kb.sqlite`);
    results.push(await measureRecall('embedded (sqlite-vec, exact)', embeddedVectorStore(db), SETUP, data));
    db.close();
    const vectorSettings = settingsSchema.parse({ vector: { chromaUrl: chroma.url, chromaCollection: 'bench' } }).vector;
    const c = chromaVectorStore(vectorSettings);
    results.push(await measureRecall('chromadb (HNSW)', c, SETUP, data));
    await c.close();
    const pgdb = new PgDatabase(pgSettingsOf(pg));
    const p = pgvectorStore(pgdb, vectorSettings);
    results.push(await measureRecall('pgvector (HNSW, iterative scan)', p, SETUP, data));
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
