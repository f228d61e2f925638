import type {
  DocumentSummary,
  IngestStats,
  JobProgress,
  KbErrorShape,
  KbStatus,
  ModelChoice,
  ModelDownloadProgress,
  PublicSettings,
  ReindexStatus,
  SearchHit,
  WatchedFolder,
} from '../../../core/api';
import type { JobBook } from '../logic/jobs';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LibrarySlice {
  documents: DocumentSummary[];
  libraryStatus: LoadStatus;
  libraryError: KbErrorShape | null;
  /** Document ids with a delete in flight. */
  deleting: Record<string, true>;
  refreshDocuments(): Promise<void>;
  /** Deletes and refreshes; resolves to whether the document is gone. */
  deleteDocument(id: string): Promise<boolean>;
  dismissLibraryError(): void;
  /** Folders the core keeps in sync with the index (null until loaded). */
  watchedFolders: WatchedFolder[] | null;
  /** Paths with a "Stop watching" in flight. */
  unwatching: Record<string, true>;
  watchError: KbErrorShape | null;
  refreshWatchedFolders(): Promise<void>;
  /** Stops watching a folder (its documents stay); resolves to whether it is no longer watched. */
  unwatchFolder(path: string): Promise<boolean>;
  dismissWatchError(): void;
}

export interface IngestionSlice {
  jobBook: JobBook;
  /** Jobs of the current batch (what the summary line counts): the last drop, plus drops made while it ran. */
  batchJobIds: string[];
  /** The local job whose file is being uploaded right now (browser only). */
  uploadingJobId: string | null;
  ingestError: KbErrorShape | null;
  refreshJobs(): Promise<void>;
  applyProgress(job: JobProgress): void;
  /** Electron: index files and folders by path. */
  ingestPaths(paths: string[]): Promise<void>;
  /** Browser: queue files for upload, one at a time. */
  uploadFiles(files: File[]): void;
  clearFinishedJobs(): void;
  reportIngestError(error: KbErrorShape | null): void;

  /** The queue as a whole (throughput, time left, paused); null until the core has told. */
  ingestStats: IngestStats | null;
  /**
   * Counts stats updates, so a getStatus snapshot is applied only when no fresher update (an
   * event, a pause answer) arrived while it was in flight.
   */
  ingestStatsVersion: number;
  applyIngestStats(stats: IngestStats): void;
  /** A pause or resume request is in flight. */
  pauseRequested: 'pause' | 'resume' | null;
  /** Pauses or resumes the queue; errors show as ingestError. */
  setIngestPaused(paused: boolean): Promise<void>;
  /** Job ids with a cancel in flight. */
  cancelling: Record<string, true>;
  cancellingAll: boolean;
  /** Cancels one job: a browser upload not yet sent is dropped, a job of the core is cancelled there. */
  cancelJob(jobId: string): Promise<void>;
  /** Cancels every unfinished job, uploads waiting in the browser included. */
  cancelAllJobs(): Promise<void>;
  /** Electron: dropped and added folders are kept in sync (ingestFiles with watch). */
  keepInSync: boolean;
  setKeepInSync(keep: boolean): void;
}

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error';

export interface SearchSlice {
  query: string;
  /** The query the current results answer (the box may have changed since). */
  resultsFor: string;
  results: SearchHit[];
  searchStatus: SearchStatus;
  searchError: KbErrorShape | null;
  tookMs: number | null;
  setQuery(query: string): void;
  runSearch(): Promise<void>;
  clearSearch(): void;
  /** Chunk ids of results with an Open in flight. */
  opening: Record<string, true>;
  openError: KbErrorShape | null;
  /** Opens a hit's document: with the system's app (desktop) or in a new tab (browser). */
  openResult(hit: SearchHit): Promise<void>;
  dismissOpenError(): void;
}

/** What the store needs from the page beyond the client (injected, so tests can pass fakes). */
export interface StoreEnv {
  /** Opens a URL in a new tab (the browser build). */
  openUrl?: (url: string) => void;
  /** The headless server's token, for URLs a tab opens without headers (null in Electron). */
  serverToken?: () => string | null;
}

export interface StatusSlice {
  status: KbStatus | null;
  statusError: KbErrorShape | null;
  settings: PublicSettings | null;
  /** The latest model download progress (downloads happen only when the user allowed them). */
  modelDownload: ModelDownloadProgress | null;
  refreshStatus(): Promise<void>;
  refreshSettings(): Promise<void>;
  /** Models the user can choose (null until loaded). */
  models: ModelChoice[] | null;
  refreshModels(): Promise<void>;
  /** Switches the model (downloads allowed); resolves to the error if it was refused. */
  chooseModel(id: string): Promise<KbErrorShape | null>;
  applyModelDownload(p: ModelDownloadProgress): void;
  applyReindex(p: ReindexStatus): void;
}

export type KbState = LibrarySlice & IngestionSlice & SearchSlice & StatusSlice;
