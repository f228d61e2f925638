import type {
  AskDelta,
  AskResponse,
  DocumentSummary,
  DocumentText,
  IngestStats,
  JobProgress,
  KbErrorShape,
  KbStatus,
  ModelChoice,
  ModelDownloadProgress,
  PublicSettings,
  ReconcileReport,
  ReindexStatus,
  Result,
  SearchHit,
  SearchMode,
  WatchedFolder,
} from '../../../core/api';
import type { JobBook } from '../logic/jobs';
import type { Toast, ToastContent } from '../logic/toasts';
import type { FilterDraft, FilterProblem } from '../logic/searchFilters';
import type { FieldKey } from '../logic/settingsForm';
import type { BackupSlice } from './backupSlice';
import type { SettingsSlice } from './settingsSlice';
import type { LibraryTableSlice } from './libraryTableSlice';

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

/** What the core said about the current results besides the hits. */
export interface ResultsInfo {
  mode: SearchMode;
  /** The query searched instead of the typed one (misspelt words corrected). */
  correctedQuery?: string;
  /** Nothing matches well: the hits are only the closest documents. */
  weak: boolean;
  tookMs: number;
  /** Filters narrowed this search. */
  filtered: boolean;
}

/** A document to open: a search hit, one of its passages, or a cited passage. */
export type OpenTarget = Pick<SearchHit, 'documentId' | 'documentName' | 'chunkId' | 'location'>;

export interface SearchSlice {
  query: string;
  /** The query the current results answer (the box may have changed since). */
  resultsFor: string;
  results: SearchHit[];
  resultsInfo: ResultsInfo | null;
  searchStatus: SearchStatus;
  searchError: KbErrorShape | null;
  mode: SearchMode;
  filters: FilterDraft;
  /** A filter the core refused, shown next to it (not as a search error). */
  filterProblem: FilterProblem | null;
  /** Sets the query and searches once typing pauses. */
  setQuery(query: string): void;
  /** Searches now (Enter), cancelling a search waiting for typing to pause. */
  runSearch(): Promise<void>;
  clearSearch(): void;
  /** Switches the mode and searches again at once. */
  setMode(mode: SearchMode): void;
  /** Changes filters and searches again once typing pauses. */
  setFilters(patch: Partial<FilterDraft>): void;
  clearFilters(): void;
  /** Chunk ids of results with an Open in flight. */
  opening: Record<string, true>;
  openError: KbErrorShape | null;
  /** Opens a document's original: with the system's app (desktop) or in a new tab (browser). */
  openResult(target: OpenTarget): Promise<void>;
  dismissOpenError(): void;
}

/** A passage to read in its document. */
export interface ReaderTarget extends OpenTarget {
  charStart?: number;
  charEnd?: number;
  /** Its words are marked in the text. */
  query?: string;
}

export interface ReaderState {
  target: ReaderTarget;
  status: 'loading' | 'ready' | 'error';
  doc: DocumentText | null;
  error: KbErrorShape | null;
}

export interface ReaderSlice {
  /** The document open in the reader; null when it is closed. */
  reader: ReaderState | null;
  openReader(target: ReaderTarget): Promise<void>;
  closeReader(): void;
}

export type AskStatus = 'idle' | 'streaming' | 'done' | 'stopped' | 'error';

export interface AskSlice {
  question: string;
  setQuestion(question: string): void;
  askStatus: AskStatus;
  /** The question being (or last) answered. */
  askedQuestion: string;
  /** The stream of the answer in progress (or last); deltas of any other stream are ignored. */
  askStreamId: string | null;
  /** The answer as streamed so far. */
  askStreamed: string;
  /** The whole answer with its citations, once done. */
  askAnswer: AskResponse | null;
  askError: KbErrorShape | null;
  /** Asks the question in the box (stopping an answer still streaming). */
  ask(): Promise<void>;
  /** Stops the answer streaming; what arrived stays. */
  stopAsk(): Promise<void>;
  applyAskDelta(delta: AskDelta): void;
}

/** The screens: the tabs (search, ask, library) and the pages the header opens (status, settings). */
export type View = 'search' | 'ask' | 'library' | 'status' | 'settings';

export interface ViewSlice {
  /** The tab the main column shows. */
  view: View;
  setView(view: View): void;
  /**
   * A Settings field to focus when the page opens (an error's "Open Settings" leads to the field
   * that fixes it); the page takes it once it has focused the field.
   */
  settingsFocus: FieldKey | null;
  /** Shows Settings, with `focus` focused once the form is there. */
  openSettings(focus?: FieldKey): void;
  /** The Settings page has focused the field (or it is not shown): forget it. */
  clearSettingsFocus(): void;
  /** The About box (versions) is showing: opened from the header or the desktop menu. */
  aboutOpen: boolean;
  setAboutOpen(open: boolean): void;
}

/** What the store needs from the page beyond the client (injected, so tests can pass fakes). */
export interface StoreEnv {
  /** Opens a URL in a new tab (the browser build). */
  openUrl?: (url: string) => void;
  /** The headless server's token, for URLs a tab opens without headers (null in Electron). */
  serverToken?: () => string | null;
  /** A new id for an answer's stream (crypto.randomUUID by default). */
  newStreamId?: () => string;
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
  /** The failed re-index the user dismissed (see reindexKey), so a status refresh does not bring it back. */
  dismissedReindex: string | null;
  dismissReindexFailure(): void;
  /**
   * Status's "Reset to this database": reconciles with force (deletes vectors the relational store
   * does not list, re-embeds rows without vectors); resolves to what it did, or why it failed.
   */
  resetStoresToRelational(): Promise<Result<ReconcileReport>>;
}

export interface ToastSlice {
  /** Short messages about finished work, oldest first (the Toasts component times them out). */
  toasts: Toast[];
  pushToast(toast: ToastContent): void;
  dismissToast(id: number): void;
}

export type KbState = LibrarySlice & LibraryTableSlice & IngestionSlice & SearchSlice & ReaderSlice & AskSlice & ViewSlice & StatusSlice & ToastSlice & SettingsSlice & BackupSlice;
