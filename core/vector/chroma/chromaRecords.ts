import type { Metadata, Where } from 'chromadb';
import { encodeLocation } from '../chunkLocation';
import type { ChunkVector, VectorFilter } from '../types';

/** What each Chroma record carries besides its id, embedding and document (the chunk text). */
export interface ChunkMetadata {
  user_id: string;
  document_id: string;
  chunk_index: number;
  char_start: number;
  char_end: number;
  /**
   * Heading path and pages as JSON (chunkLocation.ts): metadata values must be scalars. Left out
   * when the chunk has none, as are records written before locations existed.
   */
  location?: string;
}

export function chunkMetadata(userId: string, documentId: string, c: ChunkVector): ChunkMetadata {
  const m: ChunkMetadata = { user_id: userId, document_id: documentId, chunk_index: c.chunkIndex, char_start: c.charStart, char_end: c.charEnd };
  const location = encodeLocation(c.location);
  if (location !== null) m.location = location;
  return m;
}

/** Reads our fields back, or undefined for a record this app did not write. */
export function readChunkMetadata(m: Metadata | null | undefined): ChunkMetadata | undefined {
  if (!m) return undefined;
  const { user_id, document_id, chunk_index, char_start, char_end, location } = m;
  if (typeof user_id !== 'string' || typeof document_id !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const read: ChunkMetadata = { user_id, document_id, chunk_index: num(chunk_index), char_start: num(char_start), char_end: num(char_end) };
  if (typeof location === 'string') read.location = location;
  return read;
}

/** The filter of a query: always the user, and the documents when asked. */
export function queryWhere(userId: string, filter?: VectorFilter): Where {
  if (!filter?.documentIds) return { user_id: userId };
  return { $and: [{ user_id: userId }, { document_id: { $in: filter.documentIds } }] };
}

/**
 * A request-size estimate for one record: the text and id as JSON, the metadata (location
 * included), and the embedding as base64 float32 (when the server takes it) or as JSON numbers
 * (up to ~24 chars).
 */
export function recordBytes(c: ChunkVector, base64Embeddings: boolean): number {
  const text = Buffer.byteLength(JSON.stringify(c.content)) + Buffer.byteLength(JSON.stringify(c.id));
  // A deep heading path can outweigh all the other metadata; as a JSON string inside the JSON
  // request its quotes are escaped again, hence up to twice its length.
  const location = c.location ? 2 * Buffer.byteLength(encodeLocation(c.location) ?? '') : 0;
  const embedding = base64Embeddings ? Math.ceil((c.embedding.length * 4) / 3) * 4 + 2 : c.embedding.length * 24;
  return text + embedding + location + 160;
}
