import type { Metadata, Where } from 'chromadb';
import type { ChunkVector, VectorFilter } from '../types';

/** What each Chroma record carries besides its id, embedding and document (the chunk text). */
export interface ChunkMetadata {
  user_id: string;
  document_id: string;
  chunk_index: number;
  char_start: number;
  char_end: number;
}

export function chunkMetadata(userId: string, documentId: string, c: ChunkVector): ChunkMetadata {
  return { user_id: userId, document_id: documentId, chunk_index: c.chunkIndex, char_start: c.charStart, char_end: c.charEnd };
}

/** Reads our fields back, or undefined for a record this app did not write. */
export function readChunkMetadata(m: Metadata | null | undefined): ChunkMetadata | undefined {
  if (!m) return undefined;
  const { user_id, document_id, chunk_index, char_start, char_end } = m;
  if (typeof user_id !== 'string' || typeof document_id !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { user_id, document_id, chunk_index: num(chunk_index), char_start: num(char_start), char_end: num(char_end) };
}

/** The filter of a query: always the user, and the documents when asked. */
export function queryWhere(userId: string, filter?: VectorFilter): Where {
  if (!filter?.documentIds) return { user_id: userId };
  return { $and: [{ user_id: userId }, { document_id: { $in: filter.documentIds } }] };
}

/**
 * A request-size estimate for one record: the text and id as JSON, the metadata, and the
 * embedding as base64 float32 (when the server takes it) or as JSON numbers (up to ~24 chars).
 */
export function recordBytes(c: ChunkVector, base64Embeddings: boolean): number {
  const text = Buffer.byteLength(JSON.stringify(c.content)) + Buffer.byteLength(JSON.stringify(c.id));
  const embedding = base64Embeddings ? Math.ceil((c.embedding.length * 4) / 3) * 4 + 2 : c.embedding.length * 24;
  return text + embedding + 160;
}
