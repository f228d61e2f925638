import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkLocation } from '../../core/api/types';
import type { VectorStore } from '../../core/vector/types';
import { chunk, clusteredVectors, cosine, unit } from './vectorFixtures';

/** What a provider's test gives the shared suite. */
export interface VectorStoreHarness {
  /** A connected-but-unprepared store on an empty backend (each call may reuse the backend). */
  open(): Promise<VectorStore>;
  /** A store on the same backend for another index generation (settings `vector.generation`). */
  openGeneration(generation: string): Promise<VectorStore>;
  /** Stops the backend (process or connection) so the next call must fail fast. */
  stopBackend(): Promise<void>;
  /** Brings the backend back after `stopBackend`, with its data. */
  startBackend(): Promise<void>;
  /** Lowest acceptable recall@10 of the provider's index against exact search. */
  minRecall: number;
}

const DIMS = 32;

/**
 * One contract suite for every VectorStore provider, run against the real backend
 * (design practice 6). Prints recall and query latency for the closing notes.
 */
export function vectorStoreContract(name: string, harness: () => VectorStoreHarness) {
  describe(`VectorStore contract: ${name}`, () => {
    let h: VectorStoreHarness;
    let store: VectorStore;

    beforeAll(async () => {
      h = harness();
      store = await h.open();
      await store.connect(DIMS);
    });
    afterAll(async () => {
      await store?.close();
    });

    const v = (i: number) => {
      const a = new Array(DIMS).fill(0.01);
      a[i % DIMS] = 1;
      return unit(a);
    };

    it('reports itself available, with a latency', async () => {
      const health = await store.isAvailable();
      expect(health).toMatchObject({ provider: store.provider, available: true });
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
      expect(store.dimensions()).toBe(DIMS);
    });

    it('upserts, queries by cosine similarity and deletes by document', async () => {
      await store.upsert('alice', 'doc-a', [chunk('doc-a', 0, v(0)), chunk('doc-a', 1, v(1))]);
      await store.upsert('alice', 'doc-b', [chunk('doc-b', 0, v(2))]);
      const hits = await store.query(v(1), 'alice', 3);
      expect(hits.map((x) => x.chunkId)).toEqual(expect.arrayContaining(['doc-a:1', 'doc-a:0', 'doc-b:0']));
      expect(hits[0]).toMatchObject({ chunkId: 'doc-a:1', documentId: 'doc-a', chunkIndex: 1, content: 'doc-a chunk 1', charStart: 100 });
      expect(hits[0]!.score).toBeCloseTo(1, 3);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      const filtered = await store.query(v(1), 'alice', 5, { documentIds: ['doc-b'] });
      expect(filtered.map((x) => x.documentId)).toEqual(['doc-b']);
      expect(await store.deleteByDocument('doc-b')).toBe(1);
      expect((await store.query(v(2), 'alice', 5)).map((x) => x.documentId)).not.toContain('doc-b');
    });

    it('re-indexing a document replaces all of its chunks (no stale chunk)', async () => {
      await store.upsert('alice', 'doc-a', [chunk('doc-a', 0, v(5), 'shorter version')]);
      const hits = await store.query(v(1), 'alice', 10);
      expect(hits.filter((x) => x.documentId === 'doc-a').map((x) => x.content)).toEqual(['shorter version']);
      expect(await store.count('alice')).toBe(1);
    });

    it('keeps users apart: no query returns another user\'s chunks', async () => {
      await store.upsert('bob', 'doc-bob', [chunk('doc-bob', 0, v(5)), chunk('doc-bob', 1, v(6))]);
      const alice = await store.query(v(5), 'alice', 10);
      expect(alice.every((x) => x.documentId === 'doc-a')).toBe(true);
      const bob = await store.query(v(5), 'bob', 10);
      expect(bob.map((x) => x.documentId)).toEqual(['doc-bob', 'doc-bob']);
      expect(await store.query(v(5), 'bob', 10, { documentIds: ['doc-a'] })).toEqual([]);
      expect(await store.query(v(5), 'nobody', 10)).toEqual([]);
      expect(await store.count()).toBe(3);
      expect(await store.count('bob')).toBe(2);
    });

    it('refuses vectors of the wrong dimension, naming both numbers', async () => {
      await expect(store.upsert('alice', 'doc-x', [chunk('doc-x', 0, unit([1, 0, 0]))])).rejects.toMatchObject({
        kind: 'DimensionMismatch',
        message: expect.stringMatching(new RegExp(`\\b3\\b.*\\b${DIMS}\\b`)),
      });
      await expect(store.query(unit([1, 0]), 'alice', 3)).rejects.toMatchObject({ kind: 'DimensionMismatch' });
      const other = await h.open();
      await expect(other.connect(DIMS * 2)).rejects.toMatchObject({
        kind: 'DimensionMismatch',
        message: expect.stringMatching(new RegExp(`${DIMS * 2}.*${DIMS}`)),
      });
      await other.close();
    });

    it('streams every vector out, document by document, for migration', async () => {
      const docs = [];
      for await (const d of store.scanDocuments()) docs.push(d);
      expect(docs.map((d) => [d.userId, d.documentId, d.chunks.length]).sort()).toEqual([
        ['alice', 'doc-a', 1],
        ['bob', 'doc-bob', 2],
      ]);
      const bob = docs.find((d) => d.documentId === 'doc-bob')!;
      expect(bob.chunks.map((c) => c.chunkIndex)).toEqual([0, 1]);
      expect(cosine(bob.chunks[1]!.embedding, v(6))).toBeCloseTo(1, 4);
      expect(bob.chunks[0]!.content).toBe('doc-bob chunk 0');
    });

    it('counts the chunks of each document over all users, following re-indexes and deletes', async () => {
      const before = new Map([
        ['doc-a', 1],
        ['doc-bob', 2],
      ]);
      expect(await store.documentChunkCounts()).toEqual(before);
      await store.upsert('erin', 'doc-c', [0, 1, 2].map((i) => chunk('doc-c', i, v(10 + i))));
      expect(await store.documentChunkCounts()).toEqual(new Map([...before, ['doc-c', 3]]));
      await store.upsert('erin', 'doc-c', [chunk('doc-c', 0, v(13))]); // a shorter re-index
      expect(await store.documentChunkCounts()).toEqual(new Map([...before, ['doc-c', 1]]));
      expect(await store.deleteByDocument('doc-c')).toBe(1);
      expect(await store.documentChunkCounts()).toEqual(before);
    });

    it('keeps each chunk\'s location through query and scan; a chunk without one has none (not {})', async () => {
      const locations: (ChunkLocation | undefined)[] = [
        { headingPath: ['Intro', 'Scope: "quoted", ünïcode — and a/slash'], pageStart: 2, pageEnd: 3 },
        undefined,
        { pageStart: 5, pageEnd: 5 },
        { headingPath: ['Only headings'] },
      ];
      const at = (i: number) => ({ ...chunk('doc-loc', i, v(20 + i)), ...(locations[i] ? { location: locations[i] } : {}) });
      await store.upsert('alice', 'doc-loc', locations.map((_, i) => at(i)));

      // Both search paths: nearest neighbours over the user's chunks, and a document filter.
      for (let i = 0; i < locations.length; i++) {
        const [hit] = await store.query(v(20 + i), 'alice', 1);
        expect(hit!.chunkId).toBe(`doc-loc:${i}`);
        expect(hit!.location).toEqual(locations[i]);
      }
      const filtered = await store.query(v(20), 'alice', 10, { documentIds: ['doc-loc'] });
      expect(filtered).toHaveLength(locations.length);
      for (const hit of filtered) expect(hit.location).toEqual(locations[hit.chunkIndex]);

      // scanDocuments carries it, so `kb migrate-vectors` does too.
      let scanned: (ChunkLocation | undefined)[] | undefined;
      for await (const d of store.scanDocuments()) if (d.documentId === 'doc-loc') scanned = d.chunks.map((c) => c.location);
      expect(scanned).toEqual(locations);

      // A re-index without locations leaves none behind.
      await store.upsert('alice', 'doc-loc', [chunk('doc-loc', 0, v(20))]);
      const [replaced] = await store.query(v(20), 'alice', 1);
      expect(replaced!.chunkId).toBe('doc-loc:0');
      expect(replaced!.location).toBeUndefined();
      expect(await store.deleteByDocument('doc-loc')).toBe(1);
    });

    it('finds the true nearest neighbours per user on clustered data (recall@10)', async () => {
      const n = 3000;
      const vectors = clusteredVectors(n, DIMS, 30, 7);
      const perDoc = 50;
      for (let d = 0; d < n / perDoc; d++) {
        const user = d % 3 === 0 ? 'carol' : 'dave';
        const chunks = vectors.slice(d * perDoc, (d + 1) * perDoc).map((e, i) => chunk(`rec-${d}`, i, e));
        await store.upsert(user, `rec-${d}`, chunks);
      }
      const carolIds = new Set<string>();
      vectors.forEach((_, i) => {
        const d = Math.floor(i / perDoc);
        if (d % 3 === 0) carolIds.add(`rec-${d}:${i % perDoc}`);
      });
      const queries = clusteredVectors(40, DIMS, 30, 99);
      let found = 0;
      const latencies: number[] = [];
      for (const q of queries) {
        const exact = vectors
          .map((e, i) => ({ id: `rec-${Math.floor(i / perDoc)}:${i % perDoc}`, s: cosine(q, e) }))
          .filter((x) => carolIds.has(x.id))
          .sort((a, b) => b.s - a.s)
          .slice(0, 10)
          .map((x) => x.id);
        const t0 = performance.now();
        const hits = await store.query(q, 'carol', 10);
        latencies.push(performance.now() - t0);
        expect(hits).toHaveLength(10);
        expect(hits.every((x) => carolIds.has(x.chunkId))).toBe(true);
        found += hits.filter((x) => exact.includes(x.chunkId)).length;
      }
      const recall = found / (queries.length * 10);
      latencies.sort((a, b) => a - b);
      console.log(`[${name}] recall@10 ${recall.toFixed(3)} over ${n} vectors; query p50 ${latencies[20]!.toFixed(1)} ms`);
      expect(recall).toBeGreaterThanOrEqual(h.minRecall);
    }, 120_000);

    it('counts the chunks of every document of a bigger index (more than one page of records)', async () => {
      const counts = await store.documentChunkCounts();
      expect(counts.size).toBe(62); // 60 recall documents, doc-a and doc-bob
      expect([...counts].filter(([id]) => id.startsWith('rec-')).map(([, n]) => n)).toEqual(new Array(60).fill(50));
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(await store.count());
    });

    it('keeps index generations apart (another dimension beside this one) and drops one whole', async () => {
      const next = await h.openGeneration('g2');
      await next.connect(DIMS * 2);
      const wide = unit(Array.from({ length: DIMS * 2 }, (_, i) => (i === 3 ? 1 : 0.01)));
      await next.upsert('bob', 'doc-bob', [chunk('doc-bob', 0, wide, 'in the next generation')]);
      expect(await next.count()).toBe(1);
      expect((await next.query(wide, 'bob', 5)).map((x) => x.content)).toEqual(['in the next generation']);
      // The current generation is untouched.
      expect((await store.query(v(5), 'bob', 10)).map((x) => x.documentId)).toEqual(['doc-bob', 'doc-bob']);
      await next.drop();
      await next.close();
      const again = await h.openGeneration('g2');
      await again.connect(DIMS); // gone whole: a fresh index of any dimension
      expect(await again.count()).toBe(0);
      expect(await again.documentChunkCounts()).toEqual(new Map());
      await again.drop();
      await again.close();
      expect(await store.count('bob')).toBe(2);
    });

    it('fails fast with ProviderUnavailable when the backend goes away, and keeps data across a restart', async () => {
      const before = await store.count();
      await h.stopBackend();
      const t0 = performance.now();
      await expect(store.query(v(5), 'bob', 3)).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
      expect((await store.isAvailable()).available).toBe(false);
      expect(performance.now() - t0).toBeLessThan(20_000);
      await store.close();
      await h.startBackend();
      store = await h.open();
      await store.connect(DIMS);
      expect(await store.count()).toBe(before);
      expect((await store.query(v(5), 'bob', 10)).map((x) => x.documentId)).toEqual(['doc-bob', 'doc-bob']);
    }, 60_000);
  });
}
