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
