/**
 * recall@10 of a vector store against exact search, per user, and its query latency: the same
 * clustered vectors loaded as documents of several users, each query asked as one user and
 * compared with the exact cosine top 10 over that user's vectors (bench:vectors and the table).
 */
import type { VectorStore } from '../../core/vector/types';
import { chunk, clusteredVectors, cosine } from '../../test/contract/vectorFixtures';
import { percentile } from './stats';

export interface RecallSetup {
  /** Vectors loaded, their dimension, users they belong to, chunks per document. */
  n: number;
  dims: number;
  users: number;
  perDoc: number;
  queries: number;
}

export interface RecallResult {
  provider: string;
  recall: number;
  p50: number;
  p95: number;
  p99: number;
  loadS: number;
}

/** The vectors and queries of a setup: deterministic, 50 clusters. */
export function recallData(setup: RecallSetup): { vectors: Float32Array[]; queries: Float32Array[] } {
  return { vectors: clusteredVectors(setup.n, setup.dims, 50, 11), queries: clusteredVectors(setup.queries, setup.dims, 50, 12) };
}

export async function measureRecall(name: string, store: VectorStore, setup: RecallSetup, data = recallData(setup)): Promise<RecallResult> {
  const { n, dims, users, perDoc } = setup;
  const { vectors, queries } = data;
  await store.connect(dims);
  const t0 = performance.now();
  for (let d = 0; d < n / perDoc; d++) {
    const chunks = vectors.slice(d * perDoc, (d + 1) * perDoc).map((e, i) => chunk(`doc-${d}`, i, e));
    await store.upsert(`user-${d % users}`, `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`, chunks);
  }
  const loadMs = performance.now() - t0;
  const owner = (i: number) => Math.floor(i / perDoc) % users;
  let found = 0;
  const lat: number[] = [];
  for (const [qi, q] of queries.entries()) {
    const user = qi % users;
    const exact = vectors
      .map((e, i) => ({ i, s: owner(i) === user ? cosine(q, e) : -2 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((x) => `doc-${Math.floor(x.i / perDoc)}:${x.i % perDoc}`);
    const s = performance.now();
    const hits = await store.query(q, `user-${user}`, 10);
    lat.push(performance.now() - s);
    found += hits.filter((h) => exact.includes(h.chunkId)).length;
  }
  return { provider: name, recall: found / (queries.length * 10), p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99), loadS: loadMs / 1000 };
}
