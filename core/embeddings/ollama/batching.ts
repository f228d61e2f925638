/** Texts per `/api/embed` request and a bound on their total length (about 8k tokens). */
export const DEFAULT_BATCH_TEXTS = 32;
export const DEFAULT_BATCH_CHARS = 32_000;

export interface BatchLimits {
  maxTexts: number;
  maxChars: number;
}

/**
 * Splits texts, in order, into `[start, end)` ranges of at most `maxTexts` texts and, where
 * possible, `maxChars` characters; a single text longer than `maxChars` goes alone. Each request
 * then stays well inside the timeout on a laptop CPU and progress moves in small steps.
 */
export function planBatches(texts: readonly string[], limits: BatchLimits): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    const len = texts[i]?.length ?? 0;
    const full = i - start >= limits.maxTexts || (i > start && chars + len > limits.maxChars);
    if (full) {
      out.push([start, i]);
      start = i;
      chars = 0;
    }
    chars += len;
  }
  if (start < texts.length) out.push([start, texts.length]);
  return out;
}

/**
 * A unit-length copy of `values` (summed in float64). A zero vector stays zero rather than
 * becoming NaN.
 */
export function l2Normalised(values: readonly number[]): Float32Array {
  let sum = 0;
  for (const v of values) sum += v * v;
  const out = Float32Array.from(values);
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm;
  return out;
}
