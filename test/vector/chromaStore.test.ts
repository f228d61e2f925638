import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromaCollectionName, ChromaVectorStore } from '../../core/vector/chroma/chromaStore';
import type { DocumentVectors } from '../../core/vector/types';
import { chunk, clusteredVectors, cosine, rng, unit } from '../contract/vectorFixtures';
import { startChroma, type ChromaService } from '../services/chroma';

// What the shared contract does not reach: paging, batching, cosine scores, odd collections.
let chroma: ChromaService;
let raw: ChromaClient;
beforeAll(async () => {
  chroma = await startChroma();
  raw = new ChromaClient({ host: '127.0.0.1', port: chroma.port });
});
afterAll(async () => {
  await chroma?.dispose();
});

let n = 0;
const store = (over: Partial<ConstructorParameters<typeof ChromaVectorStore>[0]> = {}) =>
  new ChromaVectorStore({ url: chroma.url, collection: `unit-${++n}`, timeoutMs: 5_000, ...over });

async function scan(s: ChromaVectorStore): Promise<DocumentVectors[]> {
  const out = [];
  for await (const d of s.scanDocuments()) out.push(d);
  return out;
}

describe('ChromaVectorStore on a real server', () => {
  it('scores are the true cosine similarity (the collection measures cosine distance)', async () => {
    const s = store();
    await s.connect(8);
    const vs = clusteredVectors(20, 8, 3, 5);
    await s.upsert('alice', 'doc', vs.map((e, i) => chunk('doc', i, e)));
    const q = unit([0.3, -0.2, 0.5, 0.1, 0, 0.4, -0.1, 0.2]);
    const hits = await s.query(q, 'alice', 5);
    expect(hits).toHaveLength(5);
    for (const h of hits) expect(h.score).toBeCloseTo(cosine(q, vs[h.chunkIndex]!), 5);
  });

  it('splits big upserts into batches by bytes and still stores every chunk', async () => {
    const s = store({ maxRequestBytes: 4_000 }); // ~2 records of 64 dims + 1 kB text per request
    await s.connect(64);
    const vs = clusteredVectors(60, 64, 4, 9);
    await s.upsert('alice', 'big', vs.map((e, i) => chunk('big', i, e, `chunk ${i} ${'x'.repeat(1000)}`)));
    expect(await s.count('alice')).toBe(60);
    await s.upsert('alice', 'big', vs.slice(0, 7).map((e, i) => chunk('big', i, e)));
    expect(await s.count()).toBe(7);
  });

  it('pages through counts, deletes and scans, grouping documents whose chunks span pages', async () => {
    const s = store({ pageSize: 7, idPageSize: 7 });
    await s.connect(4);
    const r = rng(3);
    const v = () => unit([r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5]);
    // Documents grow over three re-indexes to 18 chunks (written in reverse order), so with
    // pages of 7 every document spans pages and shares pages with others.
    for (let round = 1; round <= 3; round++) {
      for (const [user, doc] of [['alice', 'a1'], ['bob', 'b1'], ['alice', 'a2']] as const) {
        await s.upsert(user, doc, Array.from({ length: round * 6 }, (_, i) => chunk(doc, i, v())).reverse());
      }
    }
    expect(await s.count('alice')).toBe(36);
    expect(await s.count('bob')).toBe(18);
    const docs = await scan(s);
    expect(docs.map((d) => [d.userId, d.documentId, d.chunks.length])).toEqual([
      ['alice', 'a1', 18],
      ['alice', 'a2', 18],
      ['bob', 'b1', 18],
    ]);
    for (const d of docs) expect(d.chunks.map((c) => c.chunkIndex)).toEqual([...Array(18).keys()]);
    expect(docs[0]!.chunks[3]).toMatchObject({ id: 'a1:3', content: 'a1 chunk 3', charStart: 300 });
    expect(await s.documentChunkCounts()).toEqual(
      new Map([
        ['a1', 18],
        ['b1', 18],
        ['a2', 18],
      ]),
    );
    expect(await s.count('carol')).toBe(0);
    expect(await s.deleteByDocument('a2')).toBe(18);
    expect(await s.deleteByDocument('a2')).toBe(0);
    expect(await s.count()).toBe(36);
    // A user's count follows this connection's writes (it is kept between them).
    expect(await s.count('alice')).toBe(18);
    expect(await s.documentChunkCounts()).toEqual(
      new Map([
        ['a1', 18],
        ['b1', 18],
      ]),
    );
  });

  it('starts an empty collection afresh for a new model, but keeps a full one and says why', async () => {
    const name = `unit-dims-${++n}`;
    const s = store({ collection: name });
    await s.connect(3);
    await s.upsert('alice', 'd', [chunk('d', 0, unit([1, 0, 0]))]);
    await s.deleteByDocument('d');
    const t = store({ collection: name });
    await t.connect(5); // empty: rebuilt for 5 dimensions
    await t.upsert('alice', 'd', [chunk('d', 0, unit([1, 0, 0, 0, 0]))]);
    await expect(store({ collection: name }).connect(3)).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/makes 3-dimensional .* holds 5-dimensional/),
    });
  });

  it('adopts a collection written without our metadata, reading its dimension from a vector', async () => {
    const name = `unit-foreign-${++n}`;
    const col = await raw.createCollection({ name, embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } } });
    await col.add({ ids: ['x'], embeddings: [[1, 0, 0, 0]], documents: ['x'], metadatas: [{ user_id: 'alice', document_id: 'dx' }] });
    await expect(store({ collection: name }).connect(6)).rejects.toMatchObject({ kind: 'DimensionMismatch' });
    const s = store({ collection: name });
    await s.connect(4);
    expect((await raw.getCollection({ name })).metadata).toMatchObject({ dimensions: 4 });
    expect((await s.query(unit([1, 0, 0, 0]), 'alice', 1))[0]).toMatchObject({ chunkId: 'x', documentId: 'dx' });
  });

  it('reads records written before locations, or with a location it cannot read, as having none', async () => {
    const s = store();
    await s.connect(4);
    const col = await raw.getCollection({ name: s.collectionName });
    const meta = (i: number) => ({ user_id: 'alice', document_id: 'old', chunk_index: i, char_start: 0, char_end: 1 });
    await col.add({
      ids: ['old:0', 'old:1', 'old:2'],
      embeddings: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
      documents: ['a', 'b', 'c'],
      metadatas: [meta(0), { ...meta(1), location: 'not json' }, { ...meta(2), location: JSON.stringify({ pageStart: 7, headingPath: 'not a list' }) }],
    });
    const hits = await s.query(unit([1, 1, 1, 0]), 'alice', 3);
    expect(hits.map((h) => [h.chunkId, h.location]).sort()).toEqual([
      ['old:0', undefined],
      ['old:1', undefined],
      ['old:2', { pageStart: 7 }],
    ]);
    const [doc] = await scan(s);
    expect(doc!.chunks.map((c) => c.location)).toEqual([undefined, undefined, { pageStart: 7 }]);
    expect(await s.documentChunkCounts()).toEqual(new Map([['old', 3]]));
  });

  it('refuses a collection that measures another distance, and a name the server rejects', async () => {
    const name = `unit-l2-${++n}`;
    await raw.createCollection({ name, embeddingFunction: null, configuration: { hnsw: { space: 'l2' } } });
    await expect(store({ collection: name }).connect(4)).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('l2') });
    await expect(store({ collection: 'x' }).connect(4)).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('"x"') });
  });

  it('names each generation\'s collection within Chroma\'s rules', () => {
    expect(chromaCollectionName('qckstrt-embeddings', '')).toBe('qckstrt-embeddings');
    expect(chromaCollectionName('qckstrt-embeddings', 'g2')).toBe('qckstrt-embeddings-g2');
    expect(chromaCollectionName('ab', 'g2')).toBe('ab-g2'); // too short alone, fine with a generation
    expect(() => chromaCollectionName('ab', '')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    expect(() => chromaCollectionName('a'.repeat(510), 'g2')).toThrow(/512/);
    expect(() => chromaCollectionName('kb', 'G2')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    expect(() => chromaCollectionName('kb-', '')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
  });

  it('keeps a generation in its own collection, and drops it whole (idempotently) until reconnected', async () => {
    const base = `unit-gen-${++n}`;
    const first = store({ collection: base });
    const next = store({ collection: base, generation: 'g7' });
    await first.connect(3);
    await next.connect(4);
    await first.upsert('alice', 'd', [chunk('d', 0, unit([1, 0, 0]))]);
    await next.upsert('alice', 'd', [chunk('d', 0, unit([0, 1, 0, 0]))]);
    expect((await raw.getCollection({ name: `${base}-g7` })).metadata).toMatchObject({ dimensions: 4 });
    await next.drop();
    await expect(raw.getCollection({ name: `${base}-g7` })).rejects.toThrow();
    await expect(next.count()).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    expect(next.dimensions()).toBeUndefined();
    await next.drop(); // already gone: fine
    await store({ collection: base, generation: 'never' }).drop();
    expect(await first.count()).toBe(1);
    await next.connect(2); // recreated, empty, any dimension
    expect(await next.count()).toBe(0);
  });

  it('refuses to work before connect()', async () => {
    await expect(store().count()).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
  });
});
