import type { JobState, ProviderHealth } from '../api/types';
import type { DocumentOutline } from '../ingest/parsers/types';

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
 * re-embeds an indexed document's stored text because its vectors went missing.
 */
export type JobKind = 'file' | 'repair';

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
   * Inserts or updates the row; `content` is the extracted text (kept for re-chunking and keyword
   * search) and `outline` where its headings and pages are (kept so re-chunking keeps locations).
   */
  saveDocument(doc: DocumentRecord, content: string, outline?: DocumentOutline): Promise<void>;
  getDocumentContent(id: string): Promise<string | undefined>;
  getDocumentOutline(id: string): Promise<DocumentOutline | undefined>;
  /** Every document's chunk count, over all users (start-up reconciliation with the vector store). */
  documentChunkCounts(): Promise<Map<string, number>>;
  deleteDocument(id: string): Promise<boolean>;
  countDocuments(userId: string): Promise<number>;

  createJobs(jobs: JobRecord[]): Promise<void>;
  updateJob(id: string, update: JobUpdate): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(userId: string, limit: number): Promise<JobRecord[]>;
  /** Jobs not yet finished, oldest first: queued ones and ones interrupted by a crash. */
  unfinishedJobs(): Promise<JobRecord[]>;
}
