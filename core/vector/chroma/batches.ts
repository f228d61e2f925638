export interface BatchLimits {
  /** Most items in one request (Chroma's `max_batch_size` from its pre-flight checks). */
  maxCount: number;
  /** Rough ceiling on one request's payload in bytes. */
  maxBytes: number;
}

/**
 * Splits items, in order, into consecutive batches that hold at most `maxCount` items and, where
 * possible, at most `maxBytes` by `sizeOf`. An item bigger than `maxBytes` on its own still goes,
 * alone: refusing it here would only hide the server's own, clearer, limit.
 */
export function splitBatches<T>(items: readonly T[], limits: BatchLimits, sizeOf: (item: T) => number): T[][] {
  const maxCount = Math.max(1, Math.floor(limits.maxCount));
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
