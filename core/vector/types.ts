import type { ProviderHealth } from '../api/types';

export interface ChunkVector {
  /** Stable id of the chunk, unique across documents. */
  id: string;
  chunkIndex: number;
  embedding: Float32Array;
  content: string;
  charStart: number;
  charEnd: number;
}

export interface VectorMatch {
  chunkId: string;
  documentId: string;
  chunkIndex: number;
  content: string;
  charStart: number;
  charEnd: number;
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface VectorStoreCapabilities {
  /** Exact (brute-force) search rather than an approximate index. */
  exact: boolean;
  /** Shares a transaction with the relational store (same database). */
  transactionalWithRelational: boolean;
}

/**
 * Chunk embeddings with their owner and text. Every query is scoped to one user.
 */
export interface VectorStore {
  readonly provider: string;
  readonly capabilities: VectorStoreCapabilities;
  /** Prepares storage for vectors of this many dimensions; fails fast on a mismatch. */
  connect(dimensions: number): Promise<void>;
  isAvailable(): Promise<ProviderHealth>;
  dimensions(): number | undefined;
  /** Replaces all chunks of the document with these (re-indexing leaves no stale chunk). */
  replaceDocument(userId: string, documentId: string, chunks: ChunkVector[]): Promise<void>;
  query(embedding: Float32Array, userId: string, topK: number): Promise<VectorMatch[]>;
  deleteByDocument(documentId: string): Promise<number>;
  count(userId?: string): Promise<number>;
  close(): Promise<void>;
}
