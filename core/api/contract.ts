import { z } from 'zod';
import type { KbEventName, KbMethod, MenuCommand } from './channels';
import type { Result } from './errors';
import type { AskDelta, AskResponse } from './ask';
import type { BackupInfo, BackupResult, BackupStatus, LastBackup, RestoreResult } from './backup';
import { PROVIDER_CHANGE_STRATEGIES, type ProviderChangePlan, type ProviderChangeStatus, type ReconcileReport } from './providerChange';
import { FILE_TYPE_NAMES, SEARCH_MODES, type FileType, type SearchResponse } from './search';
import { settingsPatchSchema, type PublicSettings } from './settings';
import type {
  ConnectionTestResult,
  DocumentSummary,
  IngestAccepted,
  IngestStats,
  JobProgress,
  KbStatus,
  ModelChoice,
  ModelDownloadProgress,
  OpenedDocument,
  DocumentText,
  ReindexStatus,
  WatchedFolder,
} from './types';

/**
 * The one contract between the UI and the core. Every adapter (Electron IPC, the headless HTTP
 * server, the CLI) and every client (preload, browser) is typed from this map.
 */
interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type; never read at run time. */
  output?: O;
}

function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

const none = z.object({}).strict().optional();
const id = z.string().min(1).max(200);

/** Glob patterns (picomatch syntax) matched against paths relative to the dropped folder. */
const patterns = z.array(z.string().min(1).max(500)).max(100);

/** A backup archive's path on this machine. */
const backupPath = z.string().trim().min(1).max(4096);

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A day (YYYY-MM-DD) or an ISO 8601 instant that Date can read. */
const sinceDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/, 'since takes a date like 2026-01-31')
  .refine((v) => isRealDate(v), 'since is not a real date');

/** Whether the date part names a day that exists (Date.parse rolls 2026-02-31 over to March). */
function isRealDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return !Number.isNaN(Date.parse(value)) && day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

export const searchFiltersSchema = z
  .object({
    types: z.array(z.enum(FILE_TYPE_NAMES as [FileType, ...FileType[]])).min(1).max(FILE_TYPE_NAMES.length).optional(),
    folder: z.string().trim().min(1).max(4096).optional(),
    since: sinceDate.optional(),
  })
  .strict();

export const kbContract = {
  ingestFiles: method<IngestAccepted>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
        /** Only files matching one of these are taken from dropped folders (default: every readable file). */
        include: patterns.optional(),
        /** Files and folders matching one of these are skipped (default: settings ingest.exclude). */
        exclude: patterns.optional(),
        /** Keep the dropped folders in sync: new, changed, renamed and deleted files are followed. */
        watch: z.boolean().optional(),
      })
      .strict(),
  ),
  ingestUpload: method<IngestAccepted>()(
    z
      .object({
        name: z.string().min(1).max(1024),
        bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes must be a Uint8Array').refine((b) => b.byteLength <= MAX_UPLOAD_BYTES, {
          message: `upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
        }),
      })
      .strict(),
  ),
  listJobs: method<JobProgress[]>()(none),
  listDocuments: method<DocumentSummary[]>()(none),
  deleteDocument: method<{ id: string; deleted: boolean }>()(z.object({ id }).strict()),
  search: method<SearchResponse>()(
    z
      .object({
        query: z.string().trim().min(1, 'type something to search for').max(2000),
        /** How many documents (each with up to three passages). */
        k: z.number().int().min(1).max(100).default(10),
        mode: z.enum(SEARCH_MODES).default('hybrid'),
        filters: searchFiltersSchema.optional(),
      })
      .strict(),
  ),
  /**
   * A document's extracted text for reading in the app, around a passage when one is given
   * (`charStart`/`charEnd` from a search hit), with the query's words marked.
   */
  readDocument: method<DocumentText>()(
    z
      .object({
        id,
        charStart: z.number().int().min(0).optional(),
        charEnd: z.number().int().min(0).optional(),
        query: z.string().max(2000).optional(),
      })
      .strict(),
  ),
  /**
   * Answers a question from the library with a local LLM (Ollama), citing the passages it used.
   * The answer streams as `askDelta` events carrying `streamId`, and the call resolves with all of it.
   */
  ask: method<AskResponse>()(
    z
      .object({
        question: z.string().trim().min(1, 'type a question').max(2000),
        /** The Ollama model; default: settings' ask.model. */
        model: z.string().trim().min(1).max(200).optional(),
        filters: searchFiltersSchema.optional(),
        streamId: z.string().min(1).max(100).optional(),
      })
      .strict(),
  ),
  /** Stops the answer streaming for `streamId` (the ask call rejects with Cancelled). */
  cancelAsk: method<{ cancelled: boolean }>()(z.object({ streamId: z.string().min(1).max(100) }).strict()),
  getSettings: method<PublicSettings>()(none),
  updateSettings: method<PublicSettings>()(settingsPatchSchema),
  testConnection: method<ConnectionTestResult>()(settingsPatchSchema),
  getStatus: method<KbStatus>()(none),
  listModels: method<ModelChoice[]>()(none),
  pauseIngest: method<IngestStats>()(none),
  resumeIngest: method<IngestStats>()(none),
  /** Cancels one job, one batch, or (with neither) everything not yet finished. */
  cancelIngest: method<{ cancelled: number }>()(z.object({ jobId: id.optional(), batchId: id.optional() }).strict().optional()),
  listWatchedFolders: method<WatchedFolder[]>()(none),
  unwatchFolder: method<WatchedFolder[]>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
  /**
   * Opens a document's original. The core only finds the file (`path`); the desktop shell opens it
   * with the system's app (`opened: true`), the HTTP server answers a `url` the browser can open.
   * `page` (1-based) is where to open a PDF, where the opener can say.
   */
  openDocument: method<OpenedDocument>()(
    z
      .object({
        id,
        page: z.number().int().min(1).max(1_000_000).optional(),
        /** Show the file in its folder (the system's file manager) instead of opening it. */
        reveal: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Deletes several documents (the library table's multi-select); unknown ids are counted as missing. */
  deleteDocuments: method<{ deleted: number; missing: number }>()(z.object({ ids: z.array(id).min(1).max(100_000) }).strict()),
  /** Indexes documents again from their originals (the source file, else the kept copy), even if unchanged. */
  reindexDocuments: method<IngestAccepted>()(z.object({ ids: z.array(id).min(1).max(100_000) }).strict()),
  /** What applying this settings patch would do to the stores, without changing anything. */
  planProviderChange: method<ProviderChangePlan>()(settingsPatchSchema),
  /**
   * Applies a settings patch that moves the stores, the way a plan offered: the app serves from
   * the current stores until the new ones are complete and verified. Progress comes as
   * `providerChangeProgress` events; the call resolves when it is done (rejects if it failed or
   * was cancelled, with the old settings still in force).
   */
  applyProviderChange: method<ProviderChangeStatus>()(
    z.object({ patch: settingsPatchSchema, strategy: z.enum(PROVIDER_CHANGE_STRATEGIES) }).strict(),
  ),
  /** Stops a running provider change; what it copied is kept so applying again resumes. */
  cancelProviderChange: method<{ cancelled: boolean }>()(none),
  /**
   * Makes the stores agree now. Without `force` it does what start-up does (and stops on a
   * wholesale mismatch); with `force` the relational store is taken as the truth: vectors
   * without a row are deleted and documents without vectors re-embedded.
   */
  reconcileStores: method<ReconcileReport>()(z.object({ force: z.boolean().optional() }).strict().optional()),
  /**
   * Writes the library to one archive (documents, chunks with their vectors, originals, settings
   * without secrets): `path` (a .tar.gz, never overwritten) or a dated file in the data folder's
   * backups/. Indexing waits while it reads. Progress comes as `backupProgress` events.
   */
  backupLibrary: method<BackupResult>()(
    z.object({ path: backupPath.optional(), originals: z.boolean().optional() }).strict().optional(),
  ),
  /**
   * Replaces the library with a backup's, in the stores configured now: verified first, written
   * into new stores, switched to only when complete (a failure leaves the library as it was).
   * `reindex` embeds the text again when the backup's model differs from the current one.
   */
  restoreLibrary: method<RestoreResult>()(z.object({ path: backupPath, reindex: z.boolean().optional() }).strict()),
  /** The archives in the data folder's backups/, newest first, and the last backup made. */
  listBackups: method<{ backups: BackupInfo[]; last: LastBackup | null; folder: string }>()(none),
} as const satisfies Record<KbMethod, MethodSpec<z.ZodType, unknown>>;

// Both directions: every name in channels.ts has a spec, and no spec lacks a name.
type _ExactKeys = keyof typeof kbContract extends KbMethod ? true : never;
export const contractKeysMatchChannels: _ExactKeys = true;

export type MethodInput<M extends KbMethod> = z.input<(typeof kbContract)[M]['input']>;
export type ParsedInput<M extends KbMethod> = z.output<(typeof kbContract)[M]['input']>;
export type MethodOutput<M extends KbMethod> = NonNullable<(typeof kbContract)[M]['output']>;

/** Events pushed from the core to every client. */
export interface KbEvents {
  ingestProgress: JobProgress;
  documentsChanged: { reason: 'indexed' | 'deleted' };
  modelDownload: ModelDownloadProgress;
  reindexProgress: ReindexStatus;
  ingestStats: IngestStats;
  askDelta: AskDelta;
  providerChangeProgress: ProviderChangeStatus;
  backupProgress: BackupStatus;
  /** From the desktop app's menu (sent by the Electron main process, never by the core). */
  menuCommand: { command: MenuCommand };
}
// Every event name in channels.ts has a payload type here.
export type KbEventPayloads = { [E in KbEventName]: KbEvents[E] };

/** What the core service implements: methods take parsed input and throw `KbError`. */
export type KbApi = {
  [M in KbMethod]: (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
} & {
  on<E extends KbEventName>(event: E, listener: (payload: KbEvents[E]) => void): () => void;
};

/**
 * What a client sees (`window.kb`): methods take raw input and resolve to a Result, never reject
 * for an application error; adapters own the translation.
 */
export type KbClient = {
  [M in KbMethod]: (...args: undefined extends MethodInput<M> ? [input?: MethodInput<M>] : [input: MethodInput<M>]) => Promise<Result<MethodOutput<M>>>;
} & {
  on<E extends KbEventName>(event: E, listener: (payload: KbEvents[E]) => void): () => void;
};
