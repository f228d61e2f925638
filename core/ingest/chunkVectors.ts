import type { KeywordChunk } from '../relational/types';
import type { ChunkVector } from '../vector/types';
import type { LocatedChunk } from './chunkDocument';

/** A document's chunks with their embeddings, as the vector stores take them. */
export function toChunkVectors(documentId: string, chunks: LocatedChunk[], embeddings: Float32Array[]): ChunkVector[] {
  return chunks.map((c, i) => ({
    id: `${documentId}:${c.index}`,
    chunkIndex: c.index,
    embedding: embeddings[i] as Float32Array,
    content: c.text,
    charStart: c.charStart,
    charEnd: c.charEnd,
    ...(c.location ? { location: c.location } : {}),
  }));
}

/** A document's chunks as the keyword index takes them (the same index and text as its vectors). */
export function toKeywordChunks(chunks: LocatedChunk[]): KeywordChunk[] {
  return chunks.map((c) => ({
    chunkIndex: c.index,
    content: c.text,
    charStart: c.charStart,
    charEnd: c.charEnd,
    ...(c.location ? { location: c.location } : {}),
  }));
}
