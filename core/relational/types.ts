import type { ChunkLocation, JobState, ProviderHealth } from '../api/types';
import type { DocumentOutline } from '../ingest/parsers/types';
import type { KeywordQuery } from '../search/keywordQuery';
import type { StoreSize } from '../metrics/storeSize';

export interface DocumentRecord {
  id: string;
  userId: string;
  name: string;
  /** Where the document came from: an absolute path, or `upload:<name>` for browser uploads. */
  sourceKey: string;
  sourcePath: string | null;
  /** The original's file name in the app's file storage (its SHA-256). */
  storageKey: string;
  contentHash: string;
  mimeType: string;
  size: number;
  chunkCount: number;
  uploadedAt: string;
  updatedAt: string;
}

/**
 * What a job does: `file` reads and parses a file (or an upload) and indexes it; `repair`
 * re-embeds an indexed document's stored text because its vectors went missing; `keywords`
 * (re)builds a document's keyword index entries from its stored text, without embedding;
 * `reindex` indexes a document again from its original (the source file if it still exists, else
 * the kept copy) even when unchanged (the library's "Re-index").
 */
export type JobKind = 'file' | 'repair' | 'keywords' | 'reindex';

export interface JobRecord {
  id: string;
  kind: JobKind;
  batchId: string;
  userId: string;
  fileName: string;
  sourceKey: string;
  sourcePath: string | null;
  /** For uploads: the stored bytes to index (the job survives a restart). */
  storageKey: string | null;
  state: JobState;
  chunksDone: number;
  chunksTotal: number;
  documentId: string | null;
  note: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

export type JobUpdate = Partial<
  Pick<JobRecord, 'state' | 'chunksDone' | 'chunksTotal' | 'documentId' | 'note' | 'errorKind' | 'errorMessage' | 'storageKey'>
>;

/** A chunk as the keyword index keeps it: the same chunks, with the same index, as the vector store. */
export interface KeywordChunk {
  chunkIndex: number;
  content: string;
  charStart: number;
  charEnd: number;
  location?: ChunkLocation;
}

/** Which documents a search looks at, always within one user. */
export interface DocumentFilter {
  /** File name extensions, lower-case without the dot (`md`, `markdown`). */
  extensions?: string[];
  /** Only documents whose source path is this folder or inside it (an absolute path). */
  folder?: string;
  /** Only documents first added at or after this instant (ISO 8601 with its zone, as toISOString gives). */
  since?: string;
}

/** BM25 weights of the keyword fields (see core/search/keywordText.ts). */
export interface KeywordWeights {
  title: number;
  headings: number;
  ident: number;
  body: number;
}

export interface KeywordSearch {
  query: KeywordQuery;
  limit: number;
  weights: KeywordWeights;
  filter?: DocumentFilter;
  /** Look only at these documents (and their chunks). */
  documentIds?: string[];
  /**
   * Chunk ranking only: rank just the newest this-many matching chunks (a query made only of
   * words in most of the library, see core/search/commonWords.ts). SQLite honours it; the
   * PostgreSQL ranking does not yet and ranks every match.
   */
  scanLimit?: number;
}

/** A document the keyword index ranks for a query: BM25 over the whole document, higher is better. */
export interface KeywordDocumentMatch {
  documentId: string;
  score: number;
}

/** A chunk the keyword index ranks for a query: BM25 over the chunk, higher is better. */
export interface KeywordChunkMatch extends KeywordChunk {
  documentId: string;
  score: number;
}

/**
 * Metadata: users, documents and the ingestion job queue. Every method is async so network
 * providers fit the same shape; implementations run their migrations in `connect()`.
 */
export interface RelationalStore {
  readonly provider: string;
  connect(): Promise<void>;
  isAvailable(): Promise<ProviderHealth>;
  close(): Promise<void>;

  ensureUser(id: string, email: string): Promise<void>;

  getDocument(id: string): Promise<DocumentRecord | undefined>;
  findDocumentBySource(userId: string, sourceKey: string): Promise<DocumentRecord | undefined>;
  listDocuments(userId: string): Promise<DocumentRecord[]>;
  /**
   * Inserts or updates the row; `content` is the extracted text (kept for re-chunking) and
   * `outline` where its headings and pages are (kept so re-chunking keeps locations). The
   * document's keyword index entry is rewritten with it (its name, headings and text); with
   * `chunks`, its chunks' entries are replaced too, all in one transaction.
   */
  saveDocument(doc: DocumentRecord, content: string, outline?: DocumentOutline, chunks?: KeywordChunk[]): Promise<void>;
  getDocumentContent(id: string): Promise<string | undefined>;
  getDocumentOutline(id: string): Promise<DocumentOutline | undefined>;
  /** Every document's chunk count, over all users (start-up reconciliation with the vector store). */
  documentChunkCounts(): Promise<Map<string, number>>;
  deleteDocument(id: string): Promise<boolean>;
  countDocuments(userId: string): Promise<number>;
  /** Ids of the user's documents that pass the filter (to narrow a vector search). */
  filterDocuments(userId: string, filter: DocumentFilter): Promise<string[]>;

  /** The user's documents ranked by BM25 over their name, headings, identifiers and text. */
  searchKeywordDocuments(userId: string, search: KeywordSearch): Promise<KeywordDocumentMatch[]>;
  /** The user's chunks ranked by BM25 (within `documentIds` when given). */
  searchKeywordChunks(userId: string, search: KeywordSearch): Promise<KeywordChunkMatch[]>;
  /** In how many of the user's chunks each word occurs (after the index's stemming). */
  keywordFrequencies(userId: string, words: string[]): Promise<number[]>;
  /** How many chunks of the user's the keyword index holds (with the frequencies: how rare a word is). */
  countKeywordChunks(userId: string): Promise<number>;
  /** Bytes this store takes (its file, or its tables with their indexes), for Status. */
  storageSize?(): Promise<StoreSize>;
  /**
   * Words of the user's documents (lower-case, as written) that start with `initial` and have
   * `minLength`..`maxLength` characters: the candidates for "did you mean". May include words of
   * documents deleted since.
   */
  vocabulary(userId: string, initial: string, minLength: number, maxLength: number): Promise<string[]>;
  /** Documents whose keyword entries are missing or older than KEYWORD_INDEX_VERSION (back-filled at start). */
  documentsWithStaleKeywords(): Promise<DocumentRecord[]>;
  /** How many keyword chunk entries each document has, over all users (checks and tests). */
  keywordChunkCounts(): Promise<Map<string, number>>;

  createJobs(jobs: JobRecord[]): Promise<void>;
  updateJob(id: string, update: JobUpdate): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(userId: string, limit: number): Promise<JobRecord[]>;
  /** Jobs not yet finished, oldest first: queued ones and ones interrupted by a crash. */
  unfinishedJobs(): Promise<JobRecord[]>;
}
