/**
 * Deterministic pseudo-random numbers for the test models: the same seed gives the same weights
 * on every machine (only integer arithmetic and one multiply per value, no Math.random).
 */

/** FNV-1a of a string: turns a tensor's name into its own seed, so tensors do not depend on build order. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function uniform01(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values uniform in [mean - std·√3, mean + std·√3): the given mean and standard deviation. */
export function randomFloats(seed: number, count: number, std: number, mean = 0): Float32Array {
  const next = uniform01(seed);
  const half = std * Math.sqrt(3);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + (next() * 2 - 1) * half;
  return out;
}
