/** Output types of the contract: plain data, safe to structured-clone and to JSON-encode. */

export type JobState = 'queued' | 'parsing' | 'embedding' | 'storing' | 'done' | 'skipped' | 'failed';

export const FINISHED_JOB_STATES: readonly JobState[] = ['done', 'skipped', 'failed'];

export interface JobProgress {
  jobId: string;
  /** All jobs created by one ingest call share a batch id. */
  batchId: string;
  fileName: string;
  /** Absolute path for files indexed from disk; absent for uploads. */
  sourcePath?: string;
  state: JobState;
  chunksDone: number;
  chunksTotal: number;
  documentId?: string;
  /** Why a job was skipped (for example: unchanged since the last index). */
  note?: string;
  error?: { kind: string; message: string };
  updatedAt: string;
}

export interface IngestAccepted {
  batchId: string;
  jobs: JobProgress[];
}

export interface DocumentSummary {
  id: string;
  name: string;
  sourcePath?: string;
  mimeType: string;
  size: number;
  chunkCount: number;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface SearchHit {
  documentId: string;
  documentName: string;
  chunkId: string;
  chunkIndex: number;
  /** The chunk text, trimmed to a readable length around the best-matching part. */
  snippet: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
  /** Character offsets of the chunk in the document's extracted text. */
  charStart: number;
  charEnd: number;
}

export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  tookMs: number;
  model: string;
}

export interface ProviderHealth {
  provider: string;
  available: boolean;
  latencyMs: number;
  message?: string;
}

export interface EmbeddingStatus {
  modelId: string;
  dimensions: number;
  /** Where the weights were found (a folder), for the settings panel. */
  source: string;
  ready: boolean;
  message?: string;
}

/** A library being re-embedded for a new model, in the background. */
export interface ReindexStatus {
  model: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message?: string;
}

export interface KbStatus {
  version: string;
  dataDir: string;
  relational: ProviderHealth;
  vector: ProviderHealth;
  embedding: EmbeddingStatus;
  documents: number;
  chunks: number;
  queue: { queued: number; active: number };
  /** Present while (and after) the library is re-embedded for a model change. */
  reindex?: ReindexStatus;
}

export interface ConnectionTestResult {
  relational: ProviderHealth;
  vector: ProviderHealth;
}

/** Progress of a model download (only when the user allowed downloads). */
export interface ModelDownloadProgress {
  modelId: string;
  file: string;
  bytesDone: number;
  bytesTotal: number;
  done: boolean;
}

/** A model the user can choose, as the settings panel lists it. */
export interface ModelChoice {
  id: string;
  dimensions: number;
  maxTokens: number;
  licence: string;
  sizeMb: number;
  description: string;
  /** Who runs it: Transformers.js in the embedding worker, or an Ollama server. */
  runtime: 'transformers' | 'ollama';
  /** On this computer already (shipped or in the user's cache); Ollama models: unknown, false. */
  installed: boolean;
  active: boolean;
}
