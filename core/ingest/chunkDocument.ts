import type { ChunkLocation } from '../api/types';
import { chunkText, type Chunk, type ChunkOptions } from './chunker';
import { fitChunksToTokens, type TokenBudget } from './fitToTokens';
import { locate } from './outline';
import { tooManyChunks } from './outputLimits';
import type { DocumentOutline } from './parsers/types';

export interface LocatedChunk extends Chunk {
  location?: ChunkLocation;
}

/** A bound on the chunks of one file: past `maxChunks`, chunking stops and the file is refused. */
export interface ChunkLimit {
  fileName: string;
  maxChunks: number;
}

/**
 * A document's chunks as they are embedded and stored: split at its headings first, then by
 * paragraphs and sentences; fitted to the model's token limit with its tokenizer (when there is
 * one); each with its heading path and pages. Used by indexing, re-indexing and repair alike, so
 * a document is always chunked the same way. With a `limit` (a file being indexed), a text that
 * would make more chunks is refused with UnsupportedFile as soon as that is known.
 */
export async function chunkDocument(
  text: string,
  outline: DocumentOutline,
  options: ChunkOptions,
  budget: TokenBudget | undefined,
  limit?: ChunkLimit,
): Promise<LocatedChunk[]> {
  const maxChunks = limit?.maxChunks ?? Infinity;
  const refuseIfOver = (chunks: Chunk[]): void => {
    if (limit && chunks.length > limit.maxChunks) throw tooManyChunks(limit.fileName, limit);
  };
  const rough = chunkText(
    text,
    options,
    (outline.headings ?? []).map((h) => h.charStart),
    maxChunks,
  );
  refuseIfOver(rough);
  const chunks = budget ? await fitChunksToTokens(text, rough, options, budget, maxChunks) : rough;
  refuseIfOver(chunks);
  return chunks.map((c) => {
    const location = locate(text, outline, c.charStart, c.charEnd);
    return location ? { ...c, location } : c;
  });
}
