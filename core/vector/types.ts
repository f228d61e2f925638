import type { ChunkLocation, ProviderHealth } from '../api/types';
import type { StoreSize } from '../metrics/storeSize';

export interface ChunkVector {
  /** Stable id of the chunk, unique across documents. */
  id: string;
  chunkIndex: number;
  embedding: Float32Array;
  content: string;
  charStart: number;
  charEnd: number;
  /** Heading path and pages, when the document has them. */
  location?: ChunkLocation;
}

export interface VectorMatch {
  chunkId: string;
  documentId: string;
  chunkIndex: number;
  content: string;
  charStart: number;
  charEnd: number;
  location?: ChunkLocation;
  /** Cosine similarity, higher is closer. */
  score: number;
}

/** All the vectors of one document, as streamed out for migration between stores. */
export interface DocumentVectors {
  userId: string;
  documentId: string;
  chunks: ChunkVector[];
}

export interface VectorFilter {
  /** Only chunks of these documents. */
  documentIds?: string[];
}

export interface VectorStoreCapabilities {
  /** Exact (brute-force) search rather than an approximate index. */
  exact: boolean;
  /** Lives in the relational database, so both can change in one transaction. */
  transactionalWithRelational: boolean;
}

/**
 * Chunk embeddings with their owner and text. Every query is scoped to one user. Implementations
 * fail fast at `connect()` (missing extension, dimension mismatch) and turn a backend that goes
 * away into `ProviderUnavailable` rather than a hang.
 */
export interface VectorStore {
  readonly provider: string;
  readonly capabilities: VectorStoreCapabilities;
  /** Prepares storage for vectors of this many dimensions; fails fast on a mismatch. */
  connect(dimensions: number): Promise<void>;
  isAvailable(): Promise<ProviderHealth>;
  dimensions(): number | undefined;
  /** Stores the document's chunks, replacing all it had (re-indexing leaves no stale chunk). */
  upsert(userId: string, documentId: string, chunks: ChunkVector[]): Promise<void>;
  query(embedding: Float32Array, userId: string, topK: number, filter?: VectorFilter): Promise<VectorMatch[]>;
  deleteByDocument(documentId: string): Promise<number>;
  count(userId?: string): Promise<number>;
  /** Bytes this index takes, or a note saying why it cannot say or where they are counted (Status). */
  storageSize?(): Promise<StoreSize>;
  /**
   * How many chunks each document has in this index, over all users: what start-up
   * reconciliation compares with the relational store to find orphaned and missing vectors.
   */
  documentChunkCounts(): Promise<Map<string, number>>;
  /**
   * A cheap token that stays equal exactly while nobody writes to this index (and changes when it
   * is another index), or undefined where the store cannot tell. Start-up reconciliation compares
   * it with the one recorded at the last clean close, and reads `documentChunkCounts()` only when
   * they differ. Stores whose `documentChunkCounts()` is one GROUP BY in a database answer
   * undefined: their full check is cheap.
   */
  contentStamp(): Promise<string | undefined>;
  /** Every stored vector, one document at a time (for migration between stores). */
  scanDocuments(): AsyncIterable<DocumentVectors>;
  /** Removes this index (this generation's table or collection) and everything in it. */
  drop(): Promise<void>;
  close(): Promise<void>;
}
