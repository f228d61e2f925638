import { chunkText, type Chunk, type ChunkOptions } from './chunker';

export interface TokenBudget {
  maxTokens: number;
  count: (texts: string[]) => Promise<number[]>;
}

/** Splits attempted before giving up on a chunk (each pass shrinks it to fit the last count). */
const MAX_PASSES = 6;

/**
 * Makes every chunk fit the model's token limit, measured with the model's tokenizer: a chunk
 * that is too long is split again, smaller in proportion to how far over it was, until it fits.
 * Nothing is left for the model to truncate silently. Stops splitting once there are more than
 * `maxChunks` (text the tokenizer finds very dense, garbage, can split into 20-character pieces).
 */
export async function fitChunksToTokens(
  text: string,
  chunks: Chunk[],
  options: ChunkOptions,
  budget: TokenBudget,
  maxChunks = Infinity,
): Promise<Chunk[]> {
  let current = chunks;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const counts = await budget.count(current.map((c) => c.text));
    if (counts.every((n) => n <= budget.maxTokens)) return current;
    const next: Chunk[] = [];
    for (let i = 0; i < current.length && next.length <= maxChunks; i++) {
      const c = current[i] as Chunk;
      const n = counts[i] as number;
      if (n <= budget.maxTokens) {
        next.push(c);
        continue;
      }
      const size = Math.max(20, Math.floor(((c.charEnd - c.charStart) * budget.maxTokens * 0.9) / n));
      const overlap = Math.min(options.overlap, Math.floor(size / 4));
      for (const piece of chunkText(text.slice(c.charStart, c.charEnd), { size, overlap }, [], maxChunks)) {
        next.push({ ...piece, charStart: c.charStart + piece.charStart, charEnd: c.charStart + piece.charEnd });
      }
    }
    current = next.map((c, index) => ({ ...c, index }));
    if (current.length > maxChunks) return current;
  }
  return current;
}
