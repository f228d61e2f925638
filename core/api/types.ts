import type { BackupStatus, LastBackup } from './backup';
/** Output types of the contract: plain data, safe to structured-clone and to JSON-encode. */
import type { ProviderChangeStatus, StoreCounts, StoreMismatch } from './providerChange';

export type JobState = 'queued' | 'parsing' | 'embedding' | 'storing' | 'done' | 'skipped' | 'failed' | 'cancelled';

export const FINISHED_JOB_STATES: readonly JobState[] = ['done', 'skipped', 'failed', 'cancelled'];

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

/**
 * The ingestion queue as a whole: the current run (from the first file queued while the queue
 * was idle until it is idle again), its throughput and an estimate of the time left.
 */
export interface IngestStats {
  /** Paused by the user: nothing new starts until resumed (the file in progress finishes its step). */
  paused: boolean;
  /** Files of the current run that finished (done, skipped, failed or cancelled). */
  filesDone: number;
  filesTotal: number;
  failed: number;
  /** Chunks embedded in the current run. */
  chunksEmbedded: number;
  /** Over the last few seconds of work; 0 until measured. */
  filesPerSecond: number;
  chunksPerSecond: number;
  /** Seconds until the queue is empty at the current rate; absent until it can be estimated. */
  etaSeconds?: number;
  /**
   * A store went away mid-indexing: the queue waits (nothing fails) and resumes by itself when
   * it answers again. What is unavailable, and the server's message.
   */
  waitingFor?: { provider: string; message?: string };
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

/**
 * What `openDocument` did: the desktop shell opened `path` with the system's app; the core alone
 * (`opened: false`) tells where the original is; the HTTP server gives a `url` for the browser.
 */
export interface OpenedDocument {
  opened: boolean;
  /** The file opened or to open: the source file if unchanged, else the copy kept in the data folder. */
  path?: string;
  /** Relative URL of the original's bytes (HTTP server); the browser adds its token. */
  url?: string;
}

/** Where a chunk sits in its document, so search can show it and open the right place. */
export interface ChunkLocation {
  /** Titles of the headings the chunk sits under, outermost first (Markdown and HTML). */
  headingPath?: string[];
  /** 1-based pages the chunk spans (PDF). */
  pageStart?: number;
  pageEnd?: number;
}

/** A document's text as the app shows it to read a passage in context. */
export interface DocumentText {
  documentId: string;
  documentName: string;
  /** The text shown: the whole document, or a window of it around the passage for long ones. */
  text: string;
  /** Where `text` starts in the document's full text, and the full text's length. */
  offset: number;
  totalLength: number;
  /** The passage asked for, as [start, end) offsets in `text`. */
  focus?: [number, number];
  /** The query's words in `text`, as [start, end) offsets, in order. */
  highlights: [number, number][];
  location?: ChunkLocation;
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
  ingest: IngestStats;
  /** Present while (and after) the library is re-embedded for a model change. */
  reindex?: ReindexStatus;
  /** What each store holds for the local user. */
  counts: StoreCounts;
  metrics: KbMetrics;
  /** The stores disagree wholesale; nothing is deleted until the user migrates or resets. */
  mismatch?: StoreMismatch;
  /** Present while (and after) the library moves to other providers. */
  providerChange?: ProviderChangeStatus;
  /** Another process writes to the library: this one searches and lists, and refuses writes. */
  readOnly?: { holder?: LibraryHolder };
  /** The last backup that finished (null: none yet), and one running now. */
  lastBackup: LastBackup | null;
  backup?: BackupStatus;
}

/** The process that holds a library for writing. */
export interface LibraryHolder {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** What the holder is, for people: "kb index", "the qckstrt app", "the headless server". */
  what: string;
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

/** A folder kept in sync with the index: new, changed, renamed and deleted files are followed. */
export interface WatchedFolder {
  path: string;
  include: string[];
  exclude: string[];
  /** Watching now; false with `message` when the folder is missing or cannot be watched. */
  active: boolean;
  message?: string;
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

/** Search latency over the recent searches of this run (end to end in the service). */
export interface SearchLatency {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** The latest searches, oldest first (at most 100), for a chart. */
  recent: { at: string; ms: number; mode: string }[];
}

/** The last finished ingestion run. */
export interface IngestRun {
  files: number;
  failed: number;
  chunks: number;
  seconds: number;
  filesPerSecond: number;
  chunksPerSecond: number;
  finishedAt: string;
}

/** The last time an index was built (a model change's re-index, a provider change's copy). */
export interface IndexBuild {
  kind: 'reindex' | 'copy';
  documents: number;
  vectors: number;
  ms: number;
  finishedAt: string;
}

/** Bytes on disk or in the database; absent where a store cannot say (a remote Chroma). */
export interface StorageSize {
  relationalBytes?: number;
  vectorBytes?: number;
  /** Originals kept in the data folder. */
  filesBytes: number;
  /** Why a figure is absent, or what it includes. */
  notes: string[];
}

/** node-postgres pool use. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface KbMetrics {
  search: SearchLatency;
  lastIngest?: IngestRun;
  indexBuild?: IndexBuild;
  storage: StorageSize;
  /** Present when a PostgreSQL pool is open. */
  pool?: PoolUse;
}
