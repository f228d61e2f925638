import type { ChunkVector } from '../../core/vector/types';

/** A small deterministic PRNG, so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

export const unit = (v: number[]) => normalize(new Float32Array(v));

/** Gaussian-ish clusters of unit vectors: what real chunk embeddings look like to an index. */
export function clusteredVectors(count: number, dims: number, clusters: number, seed = 1): Float32Array[] {
  const r = rng(seed);
  const noise = () => (r() + r() + r() - 1.5) / 1.5;
  const centres = Array.from({ length: clusters }, () => normalize(Float32Array.from({ length: dims }, noise)));
  return Array.from({ length: count }, (_, i) => {
    const c = centres[i % clusters] as Float32Array;
    return normalize(c.map((x) => x + 0.35 * noise()));
  });
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

export function chunk(documentId: string, index: number, embedding: Float32Array, content = `${documentId} chunk ${index}`): ChunkVector {
  return { id: `${documentId}:${index}`, chunkIndex: index, embedding, content, charStart: index * 100, charEnd: index * 100 + content.length };
}
