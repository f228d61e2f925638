import { describe, expect, it } from 'vitest';
import { splitBatches } from '../../core/vector/chroma/batches';
import { chunkMetadata, recordBytes } from '../../core/vector/chroma/chromaRecords';
import { chunk, clusteredVectors } from '../contract/vectorFixtures';

const sizes = (batches: number[][]) => batches.map((b) => b.length);

describe('splitBatches', () => {
  it('keeps order and caps the number of items per batch', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const batches = splitBatches(items, { maxCount: 4, maxBytes: Infinity }, () => 1);
    expect(batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('caps the bytes per batch', () => {
    const batches = splitBatches([3, 3, 3, 5, 1, 1], { maxCount: 100, maxBytes: 6 }, (n) => n);
    expect(batches).toEqual([[3, 3], [3], [5, 1], [1]]);
    batches.forEach((b) => expect(b.reduce((a, n) => a + n, 0)).toBeLessThanOrEqual(6));
  });

  it('respects whichever limit comes first', () => {
    const items = Array.from({ length: 20 }, () => 10);
    expect(sizes(splitBatches(items, { maxCount: 3, maxBytes: 100 }, (n) => n))).toEqual([3, 3, 3, 3, 3, 3, 2]);
    expect(sizes(splitBatches(items, { maxCount: 50, maxBytes: 45 }, (n) => n))).toEqual([4, 4, 4, 4, 4]);
  });

  it('sends an item bigger than the byte limit alone rather than dropping it', () => {
    expect(splitBatches([1, 50, 1], { maxCount: 10, maxBytes: 10 }, (n) => n)).toEqual([[1], [50], [1]]);
  });

  it('makes no batch of nothing, and never a batch of zero items', () => {
    expect(splitBatches([], { maxCount: 5, maxBytes: 5 }, () => 1)).toEqual([]);
    expect(splitBatches([1, 2], { maxCount: 0, maxBytes: 100 }, () => 1)).toEqual([[1], [2]]);
  });

  it('with Chroma\'s limits (max_batch_size 5461, 4 MB), keeps real request bodies under the byte cap', () => {
    const vectors = clusteredVectors(3000, 384, 10, 3);
    const chunks = vectors.map((e, i) => chunk('doc', i, e, `chunk ${i} — ${'text ünïcode '.repeat(90)}`));
    const maxBytes = 4 * 1024 * 1024;
    for (const base64 of [false, true]) {
      const batches = splitBatches(chunks, { maxCount: 5461, maxBytes }, (c) => recordBytes(c, base64));
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.flat()).toHaveLength(chunks.length);
      for (const [i, b] of batches.entries()) {
        expect(b.length).toBeLessThanOrEqual(5461);
        // What the client actually sends (JSON numbers, or base64 float32 when supported).
        const body = JSON.stringify({
          ids: b.map((c) => c.id),
          embeddings: b.map((c) => (base64 ? Buffer.from(c.embedding.buffer).toString('base64') : Array.from(c.embedding))),
          documents: b.map((c) => c.content),
          metadatas: b.map((c) => chunkMetadata('user-0123456789', 'doc-0123456789abcdef', c)),
        });
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes);
        // …and not so cautious that batches come out tiny.
        if (i < batches.length - 1) expect(Buffer.byteLength(body)).toBeGreaterThan(maxBytes / 2);
      }
    }
  });
});
