import type { ChunkLocation } from '../api/types';
import { chunkText, type Chunk, type ChunkOptions } from './chunker';
import { fitChunksToTokens, type TokenBudget } from './fitToTokens';
import { locate } from './outline';
import type { DocumentOutline } from './parsers/types';

export interface LocatedChunk extends Chunk {
  location?: ChunkLocation;
}

/**
 * A document's chunks as they are embedded and stored: split at its headings first, then by
 * paragraphs and sentences; fitted to the model's token limit with its tokenizer (when there is
 * one); each with its heading path and pages. Used by indexing, re-indexing and repair alike, so
 * a document is always chunked the same way.
 */
export async function chunkDocument(
  text: string,
  outline: DocumentOutline,
  options: ChunkOptions,
  budget: TokenBudget | undefined,
): Promise<LocatedChunk[]> {
  const rough = chunkText(
    text,
    options,
    (outline.headings ?? []).map((h) => h.charStart),
  );
  const chunks = budget ? await fitChunksToTokens(text, rough, options, budget) : rough;
  return chunks.map((c) => {
    const location = locate(text, outline, c.charStart, c.charEnd);
    return location ? { ...c, location } : c;
  });
}
