import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import pkg from '../../package.json';
import type { KbEvents, MethodInput, ParsedInput } from '../api/contract';
import { KbError, toErrorShape } from '../api/errors';
import type { Settings, SettingsPatch } from '../api/settings';
import type { ConnectionTestResult, DocumentSummary, IngestAccepted, IngestStats, KbStatus, ModelChoice, ReindexStatus } from '../api/types';
import type { ProviderChangePlan, ProviderChangeStatus, ReconcileReport } from '../api/providerChange';
import { isModelOnDisk } from '../embeddings/modelLocation';
import { checkOllamaModel } from '../embeddings/ollama/checkOllamaModel';
import { MODELS, OLLAMA_PREFIX } from '../embeddings/registry';
import { dimensionsFromEnv } from '../config/envSettings';
import { SettingsStore, toPublicSettings } from '../config/settingsStore';
import type { EmbeddingProvider } from '../embeddings/types';
import { FileStore } from '../ingest/fileStore';
import { chunkOptions } from '../ingest/chunker';
import type { TokenBudget } from '../ingest/fitToTokens';
import { IngestMeter } from '../ingest/ingestMeter';
import { IngestQueue } from '../ingest/ingestQueue';
import { ParseWorker } from '../ingest/parseWorker';
import { PauseGate } from '../ingest/pauseGate';
import { reconcileStores, recordCleanClose, stampStores, takeCleanClose, type StoresStamp } from '../ops/reconcile';
import { reindexDocuments } from '../ops/reindexDocuments';
import { toJobProgress } from '../ingest/jobProgress';
import type { DocumentRecord } from '../relational/types';
import type { AskResponse } from '../api/ask';
import { askQuestion } from '../ask/askQuestion';
import { OllamaChat } from '../ask/ollamaChat';
import { ollamaServer } from '../ask/ollamaUrl';
import { askPassages } from '../ask/passages';
import { hybridSearch } from '../search/hybridSearch';
import { readDocumentText } from '../search/readDocument';
import { toDocumentFilter } from '../search/searchFilters';
import { searchTuningFor, type SearchTuning } from '../search/searchTuning';
import { ServiceMetrics } from '../metrics/serviceMetrics';
import { storageSize, storeCounts } from '../metrics/statusFigures';
import { LruCache } from '../util/lruCache';
import { TypedEmitter } from '../util/emitter';
import { createEmbedder, type EmbedderContext } from './embedderFactory';
import { locateOriginal, type OriginalFile } from './originalFile';
import { WatchedFolders } from './watchedFolders';
import type { KbService, KbServiceOptions } from './options';
import { openStores, openVectorStore, type Stores } from './providers';
import { ProviderChanges } from './providerChange';
import { Backups } from './backups';
import type { BackupInfo, BackupResult, LastBackup, RestoreResult } from '../api/backup';
import type { Reembed } from '../ops/copyLibrary';
import { SearchSlots } from '../search/searchSlots';
import { describeStores, storeMoves } from '../config/storeLocation';
import type { StoreMismatch } from '../api/providerChange';
import { claimLibrary, defaultRole, libraryInUse, refuseWrites } from './libraryAccess';
import { libraryHolder, type LibraryLock, type LockHolder } from './libraryLock';
import { handOverIngest, HandoverInbox } from './handover';

/** Searches run one at a time, paced while indexing runs: see core/search/searchSlots.ts. */
const SEARCHES_AT_ONCE = 1;

/** Single-user desktop app: everything belongs to the local user until accounts exist. */
export const LOCAL_USER = { id: 'local', email: 'local@qckstrt.invalid' };

const toSummary = (d: DocumentRecord): DocumentSummary => ({
  id: d.id,
  name: d.name,
  ...(d.sourcePath ? { sourcePath: d.sourcePath } : {}),
  mimeType: d.mimeType,
  size: d.size,
  chunkCount: d.chunkCount,
  contentHash: d.contentHash,
  createdAt: d.uploadedAt,
  updatedAt: d.updatedAt,
});

/**
 * The one object that implements the contract. Electron IPC, the HTTP server and the CLI are thin
 * adapters over it. The model loads in the background: listing and deleting work at once, and
 * search/indexing wait for the model (or fail with `ModelUnavailable` saying why).
 */
export class KbServiceImpl implements KbService {
  private readonly events = new TypedEmitter<KbEvents>();
  private readonly files: FileStore;
  private queue: IngestQueue;
  private embedder: EmbeddingProvider | undefined;
  private embedderError: KbError | undefined;
  private vectorReady: Promise<void>;
  private reindex: ReindexStatus | undefined;
  private readonly gate = new PauseGate();
  /** Searches in flight at once: the rest wait, so indexing keeps its share of this thread. */
  private readonly searchSlots = new SearchSlots(SEARCHES_AT_ONCE, () => {
    const { queued, active } = this.queue.counts();
    return queued + active > 0;
  });
  /** Search latency, the last ingestion run and the last index build, for Status. */
  private readonly metrics = new ServiceMetrics();
  private readonly meter = new IngestMeter();
  private readonly statsEmitter = throttledEmitter<IngestStats>(
    (s) => this.events.emit('ingestStats', s),
    250,
    // Never held back: pausing, resuming, and the end of a run.
    (prev, next) => prev?.paused !== next.paused || next.filesDone === next.filesTotal,
  );
  /** Start-up reconciliation of the two stores; the queue starts after it. */
  private reconciled: Promise<void> = Promise.resolve();
  /** The stores disagree wholesale: reconciliation changes nothing until the user decides. */
  private mismatch: StoreMismatch | undefined;
  /** A check of the stores has finished in this run (close records them as in step only then). */
  private storesChecked = false;
  private changes: ProviderChanges | undefined;
  /** Moving the library to other providers (plan, apply, cancel), on this service's stores and queue. */
  private get providerChanges(): ProviderChanges {
    return (this.changes ??= new ProviderChanges({
      userId: LOCAL_USER.id,
      userEmail: LOCAL_USER.email,
      dataDir: this.opts.dataDir,
      settings: this.settings,
      stores: () => this.stores,
      openStores: (s) => openStores(s, this.opts.dataDir, this.opts.sqliteNativeBinding),
      dimensions: async () => {
        await this.vectorReady;
        return this.requireEmbedder().dimensions;
      },
      reembed: (s) => this.reembedWith(s),
      testConnection: (patch) => this.testConnection(patch),
      busy: () =>
        this.reindex?.state === 'running'
          ? `The library is being re-indexed for ${this.reindex.model}; change providers when it has finished.`
          : this.backupsInstance?.status?.state === 'running'
            ? `A ${this.backupsInstance.status.operation} is running: change providers when it has finished.`
            : undefined,
      pauseIndexing: () => this.pauseIndexing(),
      resumeIndexing: () => this.resumeIndexing(),
      switchTo: (next, patch) => this.switchToStores(next, patch),
      saveOnly: async (patch) => {
        await this.updateSettings(patch);
      },
      report: (status) => this.events.emit('providerChangeProgress', status),
      indexBuilt: (build) => this.metrics.indexBuilt(build),
    }));
  }
  private backupsInstance: Backups | undefined;
  /** Backups and restores (one at a time, never beside a provider change), and the schedule. */
  private get backups(): Backups {
    return (this.backupsInstance ??= new Backups({
      userId: LOCAL_USER.id,
      userEmail: LOCAL_USER.email,
      dataDir: this.opts.dataDir,
      settings: this.settings,
      files: this.files,
      ...(this.opts.sqliteNativeBinding ? { sqliteNativeBinding: this.opts.sqliteNativeBinding } : {}),
      stores: () => this.stores,
      openStores: (s) => openStores(s, this.opts.dataDir, this.opts.sqliteNativeBinding),
      model: async () => {
        await this.vectorReady;
        const embedder = this.requireEmbedder();
        return { id: this.settings.current().embedding.model, dimensions: embedder.dimensions };
      },
      reembed: (s) => this.reembedWith(s),
      busy: () => this.movingLibrary(),
      indexing: () => {
        const { queued, active } = this.queue.counts();
        return queued + active > 0;
      },
      pauseIndexing: () => this.pauseIndexing(),
      resumeIndexing: () => this.resumeIndexing(),
      switchTo: (next, patch) => this.switchToStores(next, patch),
      report: (status) => this.events.emit('backupProgress', status),
    }));
  }
  private readonly watched: WatchedFolders;
  /** Files are parsed in a worker thread, so a big PDF never stalls this thread. */
  private readonly parser: ParseWorker;
  /** Watching the saved folders (and catching up with them) after start. */
  private watching: Promise<void> = Promise.resolve();
  /** Answers streaming now, by stream id, so they can be stopped. */
  private readonly asking = new Map<string, AbortController>();
  /** Embeddings of recent queries, by model and text: a repeated or refined search skips the model. */
  private readonly queryEmbeddings = new LruCache<string, Float32Array>(256);
  /** The data folder's writer lock; without it the service is read-only (see `access` in options). */
  private lock: LibraryLock | undefined;
  /** Requests from other processes to index files (the writer only). */
  private inbox: HandoverInbox | undefined;
  /** Read-only, this service hands files to index to the process holding the library. */
  handsOver = false;

  private constructor(
    private readonly opts: KbServiceOptions & { env: Record<string, string | undefined> },
    private readonly settings: SettingsStore,
    private stores: Stores,
  ) {
    this.files = new FileStore(join(opts.dataDir, 'files'));
    this.meter.onRunEnd((run) => this.metrics.ingestFinished(run));
    this.parser = new ParseWorker(opts.parseWorkerPath ? { workerPath: opts.parseWorkerPath } : {});
    this.vectorReady = this.startEmbedder(settings.current());
    this.queue = this.makeQueue(stores);
    this.watched = new WatchedFolders({
      saved: () => this.settings.current().ingest.watchedFolders,
      save: (watchedFolders) => this.settings.update({ ingest: { watchedFolders } }),
      enqueue: (paths, options) => this.queue.enqueuePaths(LOCAL_USER.id, paths, options),
      followExternalLinks: () => this.settings.current().ingest.followExternalLinks,
      documentsUnder: async (root) =>
        (await this.stores.relational.listDocuments(LOCAL_USER.id)).filter((d) => d.sourcePath?.startsWith(root)),
      findBySource: (path) => this.stores.relational.findDocumentBySource(LOCAL_USER.id, path),
      deleteDocument: async (id) => {
        await this.deleteDocument({ id });
      },
      moveDocument: (doc, path) => this.moveDocument(doc, path),
      ...(opts.watchQuietMs ? { quietMs: opts.watchQuietMs } : {}),
    });
  }

  static async create(options: KbServiceOptions): Promise<KbServiceImpl> {
    const env = options.env ?? process.env;
    mkdirSync(options.dataDir, { recursive: true });
    // One process writes to a library at a time; the others read alongside it.
    const { lock, holder } = claimLibrary(options.dataDir, options.access ?? 'auto', options.role ?? defaultRole());
    try {
      const settings = new SettingsStore(options.dataDir, env, options.secrets);
      dimensionsFromEnv(env); // a malformed value fails at start, not at first search
      const stores = await connectStores(settings.current(), options, !lock);
      const service = new KbServiceImpl({ ...options, env }, settings, stores);
      service.lock = lock;
      if (!lock) {
        // Read-only: no repairs, no queue, no watching; writes name whoever holds the library then.
        const refusal = () => libraryInUse(options.dataDir, libraryHolder(options.dataDir), holder);
        refuseWrites(service, refusal);
        // Files to index are handed to the holder, which indexes them (see handover.ts).
        service.ingestFiles = (input) =>
          libraryHolder(options.dataDir)
            ? handOverIngest(options.dataDir, input, options.role ?? defaultRole(), () => notTaken(refusal()), options.handoverTimeoutMs)
            : Promise.reject(refusal());
        service.handsOver = true;
        return service;
      }
      // A restore killed midway left stores nobody uses (in place: rows), removed before anything runs.
      await service.backups.dropInterruptedRestore();
      // Taken before anything can write, so a run that dies leaves none: the next start checks fully.
      service.reconciled = service.reconcileAtStart(takeCleanClose(options.dataDir));
      await service.queue.resume();
      service.watching = service.watched.startAll();
      service.backups.startSchedule();
      service.inbox = new HandoverInbox(options.dataDir, async (input, from) => {
        console.warn(`qckstrt: indexing ${input.paths.length} path(s) handed over by ${from}.`);
        return service.ingestFiles(input);
      });
      service.inbox.start();
      return service;
    } catch (err) {
      lock?.release();
      throw err;
    }
  }

  /** Whether this service writes to the library and, when not, who does (for `kb status`). */
  libraryAccess(): { writable: boolean; holder?: LockHolder } {
    if (this.lock?.held) return { writable: true };
    const holder = libraryHolder(this.opts.dataDir);
    return { writable: false, ...(holder ? { holder } : {}) };
  }

  /**
   * After a crash the stores may disagree where they are not one transaction: once the vector
   * store is connected (it needs the model's dimension), orphaned vectors are removed and
   * documents missing vectors are queued for repair. Indexing waits for it; a failure (model or
   * server unavailable) is reported and indexing goes on.
   */
  private async reconcileAtStart(lastClose: StoresStamp | undefined): Promise<void> {
    try {
      await this.checkStores(false, lastClose);
    } catch (err) {
      if (this.embedder) console.warn(`qckstrt: start-up check of the stores skipped: ${(err as Error).message}`);
    }
  }

  /**
   * Reconciles the stores; on a wholesale disagreement (one provider pointed somewhere new) it
   * changes nothing unless `force`, and keeps the mismatch for Status.
   */
  private async checkStores(force = false, lastClose?: StoresStamp): Promise<ReconcileReport> {
    await this.vectorReady;
    const report = await reconcileStores({
      relational: this.stores.relational,
      vector: this.stores.vector,
      // At start the queue is held until this check ends, so repairs are recorded now and run after it.
      enqueueRepairs: (docs) => this.queue.enqueueRepairs(docs),
      enqueueKeywordBuilds: (docs) => this.queue.enqueueKeywordBuilds(docs),
      force,
      ...(lastClose ? { lastClose } : {}),
    });
    this.storesChecked = true;
    const { orphansRemoved, repairsQueued, keywordBuildsQueued, mismatch } = report;
    this.mismatch = force ? undefined : mismatch;
    if (this.mismatch) console.warn(`qckstrt: the stores disagree wholesale. ${this.mismatch.message}`);
    if (orphansRemoved || repairsQueued) {
      console.warn(`qckstrt: store check removed vectors of ${orphansRemoved} deleted document(s) and queued ${repairsQueued} document(s) whose vectors were missing.`);
    }
    if (keywordBuildsQueued) console.warn(`qckstrt: building the keyword index of ${keywordBuildsQueued} document(s) in the background.`);
    return { orphansRemoved, repairsQueued, keywordBuildsQueued, ...(this.mismatch ? { mismatch: this.mismatch } : {}) };
  }

  private makeQueue(stores: Stores): IngestQueue {
    return new IngestQueue({
      relational: stores.relational,
      vector: stores.vector,
      transaction: (fn) => stores.transaction(fn),
      embed: async (texts, signal) => {
        await this.vectorReady;
        return this.requireEmbedder().embed(texts, { signal });
      },
      tokenBudget: async () => {
        await this.vectorReady;
        return tokenBudgetOf(this.requireEmbedder());
      },
      parse: (bytes, fileName, signal) => this.parser.parse(bytes, fileName, { signal }),
      files: this.files,
      ingestSettings: () => this.settings.current().ingest,
      gate: this.gate,
      meter: this.meter,
      startAfter: () => this.reconciled,
      onProgress: (p) => this.events.emit('ingestProgress', p),
      onStats: (s) => this.statsEmitter.emit(s),
      onDocumentsChanged: () => this.events.emit('documentsChanged', { reason: 'indexed' }),
    });
  }

  /**
   * Moves the app onto other stores (and, for a model change, another model): the new stores
   * must connect and accept the model's dimension before anything changes; indexing pauses for
   * the switch and resumes on the new stores. Nothing is copied here: a provider change copies first.
   */
  /** A model's embedding for copying or restoring with re-indexing. */
  private reembedWith(s: Settings): Reembed {
    const embedder = this.requireEmbedder();
    return { embed: (texts) => embedder.embed(texts), chunking: chunkOptions(s.ingest), tokenBudget: tokenBudgetOf(embedder) };
  }

  /** Why the library cannot be moved, backed up or restored now, if so. */
  private movingLibrary(): string | undefined {
    if (this.reindex?.state === 'running') return `The library is being re-indexed for ${this.reindex.model}: wait for it to finish.`;
    if (this.changes?.status?.state === 'running') return 'The library is moving to other providers: wait for the change to finish.';
    return undefined;
  }

  /** Stops indexing (the job in progress resumes later) while the library is read whole or switched. */
  private async pauseIndexing(): Promise<void> {
    await this.queue.close();
  }

  private async resumeIndexing(): Promise<void> {
    this.queue = this.queue.closed ? this.makeQueue(this.stores) : this.queue;
    await this.queue.resume();
  }

  /** Moves the app onto complete, verified stores and saves the settings that name them. */
  private async switchToStores(next: Settings, patch: SettingsPatch): Promise<void> {
    await this.switchStores(next);
    this.settings.update(patch);
    this.mismatch = undefined;
    await this.checkStores();
  }

  private async switchStores(next: Settings, embedder?: EmbeddingProvider): Promise<void> {
    const stores = await connectStores(next, this.opts);
    try {
      if (!embedder) await this.vectorReady;
      await stores.vector.connect((embedder ?? this.requireEmbedder()).dimensions);
    } catch (err) {
      await stores.close();
      throw err;
    }
    await this.queue.close();
    const old = this.stores;
    // Stores and model change together: no search ever pairs a model with another's index.
    this.stores = stores;
    if (embedder) {
      this.embedder = embedder;
      this.embedderError = undefined;
      this.vectorReady = Promise.resolve();
    }
    this.queue = this.makeQueue(stores);
    await old.close();
    await this.queue.resume();
    this.events.emit('documentsChanged', { reason: 'indexed' });
  }

  private startEmbedder(settings: Settings): Promise<void> {
    try {
      this.embedder = createEmbedder(settings.embedding, this.embedderContext());
      this.embedderError = undefined;
    } catch (err) {
      this.embedder = undefined;
      this.embedderError = err instanceof KbError ? err : new KbError('ModelUnavailable', (err as Error).message);
      const failed = Promise.reject(this.embedderError);
      failed.catch(() => {}); // reported to whoever awaits it (search, indexing, status)
      return failed;
    }
    const embedder = this.embedder;
    const ready = embedder.ready().then(() => this.stores.vector.connect(embedder.dimensions));
    ready.catch((err: unknown) => {
      // Only the current model's failure counts; a replaced one may fail after its successor started.
      if (this.embedder !== embedder) return;
      this.embedderError = err instanceof KbError ? err : new KbError('ModelUnavailable', String(err));
    });
    return ready;
  }

  private embedderContext(): EmbedderContext {
    return {
      resourcesDir: this.opts.resourcesDir,
      dataDir: this.opts.dataDir,
      env: this.opts.env,
      ...(this.opts.embedWorkerPath ? { workerPath: this.opts.embedWorkerPath } : {}),
      onDownloadProgress: (p) => this.events.emit('modelDownload', p),
    };
  }

  private requireEmbedder(): EmbeddingProvider {
    if (!this.embedder) throw this.embedderError ?? new KbError('ModelUnavailable', 'No embedding model is loaded');
    return this.embedder;
  }

  on<E extends keyof KbEvents>(event: E, listener: (payload: KbEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  async ingestFiles({ paths, include, exclude, watch }: ParsedInput<'ingestFiles'>) {
    const patterns = { ...(include ? { include } : {}), exclude: exclude ?? this.settings.current().ingest.exclude };
    if (watch) {
      // Folders are kept in sync; single files dropped with them are indexed once.
      const folders = [];
      for (const p of paths) if ((await stat(p).catch(() => undefined))?.isDirectory()) folders.push(p);
      await this.watched.watch(folders, patterns);
    }
    return this.queue.enqueuePaths(LOCAL_USER.id, paths, patterns);
  }

  async listWatchedFolders() {
    await this.watching;
    return this.watched.list();
  }

  async unwatchFolder({ path }: ParsedInput<'unwatchFolder'>) {
    await this.watching;
    if (!this.watched.list().some((f) => f.path === resolve(path))) throw new KbError('NotFound', `${path} is not a watched folder.`);
    await this.watched.unwatch(path);
    return this.watched.list();
  }

  /** A file renamed or moved inside a watched folder: its document follows it without re-embedding. */
  private async moveDocument(doc: DocumentRecord, path: string): Promise<void> {
    const { relational } = this.stores;
    const [text, outline, occupant] = await Promise.all([
      relational.getDocumentContent(doc.id),
      relational.getDocumentOutline(doc.id),
      relational.findDocumentBySource(doc.userId, path),
    ]);
    if (text === undefined) return;
    if (occupant && occupant.id !== doc.id) await this.deleteDocument({ id: occupant.id }); // moved over another file
    const name = basename(path);
    await relational.saveDocument({ ...doc, name, sourceKey: path, sourcePath: path, updatedAt: new Date().toISOString() }, text, outline);
    this.events.emit('documentsChanged', { reason: 'indexed' });
  }

  async pauseIngest() {
    return this.queue.pause();
  }

  async resumeIngest() {
    return this.queue.resumeWork();
  }

  async cancelIngest(target: ParsedInput<'cancelIngest'>) {
    return { cancelled: await this.queue.cancel(target ?? {}) };
  }

  async ingestUpload({ name, bytes }: ParsedInput<'ingestUpload'>) {
    const base = name.split(/[\\/]/).pop()?.trim();
    if (!base) throw new KbError('ValidationError', `"${name}" is not a file name`);
    return this.queue.enqueueUpload(LOCAL_USER.id, base, bytes);
  }

  /** These jobs as they are now, wherever they run (following handed-over files). */
  async jobsById(ids: string[]) {
    const jobs = await Promise.all(ids.map((id) => this.stores.relational.getJob(id)));
    return jobs.filter((j) => j !== undefined).map(toJobProgress);
  }

  async listJobs() {
    return (await this.stores.relational.listJobs(LOCAL_USER.id, 500)).map(toJobProgress);
  }

  async listDocuments() {
    return (await this.stores.relational.listDocuments(LOCAL_USER.id)).map(toSummary);
  }

  async deleteDocument({ id }: ParsedInput<'deleteDocument'>) {
    if (!(await this.removeDocument(id))) throw new KbError('NotFound', `No document with id ${id}`);
    this.events.emit('documentsChanged', { reason: 'deleted' });
    return { id, deleted: true };
  }

  /** Deletes each document's row and vectors together; one documentsChanged for the lot. */
  async deleteDocuments({ ids }: ParsedInput<'deleteDocuments'>): Promise<{ deleted: number; missing: number }> {
    let deleted = 0;
    for (const id of new Set(ids)) if (await this.removeDocument(id)) deleted++;
    if (deleted > 0) this.events.emit('documentsChanged', { reason: 'deleted' });
    return { deleted, missing: new Set(ids).size - deleted };
  }

  /** Removes a document's row and vectors; false when there is no such document of the user's. */
  private async removeDocument(id: string): Promise<boolean> {
    const doc = await this.stores.relational.getDocument(id);
    if (!doc || doc.userId !== LOCAL_USER.id) return false;
    const { relational, vector } = this.stores;
    if (vector.dimensions() === undefined) {
      // The vector store connects once the model has loaded (it needs the dimension); a model
      // that is still loading or cannot load must not keep a document from being deleted. The
      // row goes now; its vectors go when the store connects, or at the next start's
      // reconciliation. Search never shows a vector without its row meanwhile.
      await relational.deleteDocument(id);
      this.vectorReady.then(() => vector.deleteByDocument(id)).catch(() => {});
    } else {
      // One transaction where the stores share a database; elsewhere vectors go first, so if the
      // app stops in between, the row is still there to delete again.
      await this.stores.transaction(async () => {
        await vector.deleteByDocument(id);
        await relational.deleteDocument(id);
      });
    }
    return true;
  }

  /**
   * The core cannot open windows: it says which file to open, and the adapters open it. To
   * `reveal` (show in its folder) the source file is answered while it exists, edited or not:
   * that is where the user's file is; else the kept copy.
   */
  async openDocument({ id, reveal }: ParsedInput<'openDocument'>) {
    if (reveal) {
      const doc = await this.stores.relational.getDocument(id);
      if (doc?.userId === LOCAL_USER.id && doc.sourcePath && (await stat(doc.sourcePath).catch(() => undefined))?.isFile()) {
        return { opened: false, path: doc.sourcePath };
      }
    }
    const { path } = await this.originalFile(id);
    return { opened: false, path };
  }

  /**
   * Indexes documents again from their originals, even when unchanged (see IngestQueue's
   * `reindex` jobs). Unknown ids are left out (a stale list); none known at all is NotFound.
   */
  async reindexDocuments({ ids }: ParsedInput<'reindexDocuments'>): Promise<IngestAccepted> {
    const docs = [];
    for (const id of new Set(ids)) {
      const doc = await this.stores.relational.getDocument(id);
      if (doc?.userId === LOCAL_USER.id) docs.push(doc);
    }
    const accepted = await this.queue.enqueueReindex(docs);
    if (!accepted) throw new KbError('NotFound', ids.length === 1 ? `No document with id ${ids[0]}` : `None of the ${ids.length} documents exists any more.`);
    return accepted;
  }

  /** A document's original (its unchanged source, else the kept copy); the HTTP server streams it. */
  async originalFile(id: string): Promise<OriginalFile> {
    const doc = await this.stores.relational.getDocument(id);
    if (!doc || doc.userId !== LOCAL_USER.id) throw new KbError('NotFound', `No document with id ${id}`);
    return locateOriginal(doc, this.files);
  }

  /**
   * Takes the contract's input before defaults too (the CLI and tests call it directly);
   * `tuning` overrides the model's search defaults (the benchmark's experiments).
   */
  async search(input: MethodInput<'search'>, tuning?: Partial<SearchTuning>, withText = false) {
    return this.searchSlots.run(() => this.searchNow(input, tuning, withText));
  }

  private async searchNow(input: MethodInput<'search'>, tuning?: Partial<SearchTuning>, withText = false) {
    const started = performance.now();
    const { query, k = 10, mode = 'hybrid', filters } = input;
    // Keyword search needs no model: it answers while the model loads or when it cannot load.
    if (mode !== 'keyword') await this.vectorReady;
    const modelId = this.embedder?.modelId ?? this.settings.current().embedding.model;
    const filter = toDocumentFilter(filters);
    const result = await hybridSearch(
      {
        relational: this.stores.relational,
        vector: this.stores.vector,
        embedQuery: (text) => this.embedQuery(text),
        modelId,
      },
      { userId: LOCAL_USER.id, query: query.trim(), k, mode, ...(filter ? { filter } : {}), tuning: this.searchTuning(modelId, tuning), withText },
    );
    this.metrics.searched(performance.now() - started, mode); // failed searches throw above: not counted
    return result;
  }

  /**
   * Answers from the library: hybrid search finds the passages (weak matches are left out, so a
   * question nothing answers gets that said, without asking the model), Ollama writes the answer
   * with numbered citations, streamed as `askDelta` events for `streamId`.
   */
  async ask({ question, model, filters, streamId }: ParsedInput<'ask'>): Promise<AskResponse> {
    const started = performance.now();
    const settings = this.settings.current().ask;
    if (streamId && this.asking.has(streamId)) throw new KbError('ValidationError', `An answer is already streaming as ${streamId}`);
    const stop = new AbortController();
    if (streamId) this.asking.set(streamId, stop);
    try {
      const result = await askQuestion({
        question,
        model: model ?? settings.model,
        contextTokens: settings.contextTokens,
        chat: new OllamaChat({ url: ollamaServer(settings.ollamaUrl, this.opts.env).url }),
        retrieve: async (q) => {
          const res = await this.search({ query: q, k: settings.documents, ...(filters ? { filters } : {}) }, undefined, true);
          return askPassages(res.hits.filter((h) => h.match !== 'weak'));
        },
        ...(streamId ? { onDelta: (text: string) => this.events.emit('askDelta', { streamId, text }) } : {}),
        signal: stop.signal,
      });
      return { question, ...result, tookMs: performance.now() - started };
    } finally {
      if (streamId) this.asking.delete(streamId);
    }
  }

  async cancelAsk({ streamId }: ParsedInput<'cancelAsk'>) {
    const stop = this.asking.get(streamId);
    stop?.abort();
    return { cancelled: stop !== undefined };
  }

  /** The model's search defaults, then what the user set in settings, then a caller's overrides. */
  private searchTuning(modelId: string, overrides?: Partial<SearchTuning>): SearchTuning {
    const fromSettings = Object.fromEntries(Object.entries(this.settings.current().search).filter(([, v]) => v !== undefined && v !== null));
    return { ...searchTuningFor(modelId), ...fromSettings, ...overrides };
  }

  private async embedQuery(text: string): Promise<Float32Array> {
    const embedder = this.requireEmbedder();
    const key = `${embedder.modelId}\0${text}`;
    const cached = this.queryEmbeddings.get(key);
    if (cached) return cached;
    const embedding = await embedder.embedQuery(text);
    this.queryEmbeddings.set(key, embedding);
    return embedding;
  }

  /** Forgets cached query embeddings, so a benchmark times the model too. */
  forgetQueryEmbeddings(): void {
    this.queryEmbeddings.clear();
  }

  async readDocument({ id, charStart, charEnd, query }: ParsedInput<'readDocument'>) {
    const doc = await this.stores.relational.getDocument(id);
    const text = doc?.userId === LOCAL_USER.id ? await this.stores.relational.getDocumentContent(id) : undefined;
    if (!doc || text === undefined) throw new KbError('NotFound', `No document with id ${id}`);
    const outline = charStart !== undefined ? await this.stores.relational.getDocumentOutline(id) : undefined;
    return readDocumentText(doc, text, { ...(charStart !== undefined ? { charStart, charEnd: charEnd ?? charStart } : {}), ...(query ? { query } : {}), ...(outline ? { outline } : {}) });
  }

  async getSettings() {
    return toPublicSettings(this.settings.current());
  }

  async updateSettings(patch: ParsedInput<'updateSettings'>) {
    const before = this.settings.current();
    const next = this.settings.preview(patch);
    if (next.embedding.model !== before.embedding.model && next.embedding.model.startsWith(OLLAMA_PREFIX)) {
      // Refused before anything is saved or re-indexed when Ollama or the model is not there.
      await checkOllamaModel(next.embedding.model, next.embedding);
    }
    const moves = storeMoves(before, next);
    if (moves.relational || moves.vector) {
      // Pointing a store somewhere else without moving the library would show an empty (or
      // another) library: a move goes through a plan that copies and verifies first.
      const to = describeStores(next);
      const where = [moves.relational ? to.relationalWhere : '', moves.vector ? to.vectorWhere : ''].filter(Boolean).join(' and ');
      throw new KbError(
        'ValidationError',
        `This change moves the library to ${where}. Review and apply it as a provider change (Settings › Apply; planProviderChange/applyProviderChange; \`kb settings set …\` in the CLI), which copies the library and verifies it before switching.`,
      );
    }
    if (storesDiffer(before, next)) {
      // Same stores, other connection settings (pool size, timeouts, search width): reconnect.
      const test = await this.testConnection(patch);
      const failed = [test.relational, test.vector].find((h) => !h.available);
      if (failed) throw new KbError('ProviderUnavailable', `Not switched: ${failed.provider}: ${failed.message}`);
      await this.switchStores(next);
    }
    if (this.reindex?.state === 'running') {
      throw new KbError('ValidationError', `The library is being re-indexed for ${this.reindex.model}; change settings when it has finished.`);
    }
    if (next.embedding.model !== before.embedding.model && (await this.stores.relational.countDocuments(LOCAL_USER.id)) > 0) {
      // The new index is built in the background; search answers from the old one until it switches.
      void this.rebuildIndex(patch, before);
      return toPublicSettings(this.settings.current());
    }
    this.settings.update(patch);
    if (JSON.stringify(next.embedding) !== JSON.stringify(before.embedding)) {
      // A new model, server or download permission: load the model afresh. Indexing pauses
      // for the swap, so no batch is left waiting on the model being closed.
      await this.queue.close();
      await this.embedder?.close();
      this.vectorReady = this.startEmbedder(this.settings.current());
      this.queue = this.makeQueue(this.stores);
      await this.queue.resume();
    }
    return toPublicSettings(this.settings.current());
  }

  /** Checks candidate settings against the real servers without applying them. */
  async testConnection(patch: ParsedInput<'testConnection'>): Promise<ConnectionTestResult> {
    const candidate = this.settings.preview(patch);
    if (!storesDiffer(this.settings.current(), candidate)) {
      return { relational: await this.stores.relational.isAvailable(), vector: await this.stores.vector.isAvailable() };
    }
    const stores = openStores(candidate, this.opts.dataDir, this.opts.sqliteNativeBinding);
    try {
      return { relational: await stores.relational.isAvailable(), vector: await stores.vector.isAvailable() };
    } finally {
      await stores.close();
    }
  }

  /**
   * Re-embeds the library for a new model into a new index generation beside the current one,
   * from the documents' stored text; search keeps answering from the current index meanwhile.
   * Indexing pauses only for a final catch-up, then settings, model and stores switch together
   * and the old generation is dropped. On failure nothing changes but the status message.
   */
  private async rebuildIndex(patch: SettingsPatch, before: Settings): Promise<void> {
    const buildStarted = performance.now();
    const generation = randomBytes(6).toString('hex');
    const next = this.settings.preview({ ...patch, vector: { ...patch.vector, generation } });
    const status: ReindexStatus = { model: next.embedding.model, state: 'running', done: 0, total: 0 };
    const report = () => {
      this.reindex = { ...status };
      this.events.emit('reindexProgress', this.reindex);
    };
    report();
    let embedder: EmbeddingProvider | undefined;
    let target: ReturnType<typeof openVectorStore> | undefined;
    try {
      embedder = createEmbedder(next.embedding, this.embedderContext());
      await embedder.ready();
      target = openVectorStore(next, this.opts.dataDir, this.opts.sqliteNativeBinding);
      await target.store.connect(embedder.dimensions);
      const started = new Date().toISOString();
      const deps = {
        relational: this.stores.relational,
        target: target.store,
        embed: (texts: string[]) => (embedder as EmbeddingProvider).embed(texts),
        chunking: chunkOptions(next.ingest),
        tokenBudget: tokenBudgetOf(embedder),
        onDocument: () => {
          status.done++;
          report();
        },
      };
      const first = await this.stores.relational.listDocuments(LOCAL_USER.id);
      status.total = first.length;
      await reindexDocuments(deps, first.map((d) => d.id));
      // Catch up with what indexing changed meanwhile, with indexing paused.
      await this.queue.close();
      const now = await this.stores.relational.listDocuments(LOCAL_USER.id);
      const known = new Set(first.map((d) => d.id));
      const changed = now.filter((d) => !known.has(d.id) || d.updatedAt >= started).map((d) => d.id);
      status.total += changed.length;
      await reindexDocuments(deps, changed);
      const current = new Set(now.map((d) => d.id));
      for (const d of first) if (!current.has(d.id)) await target.store.deleteByDocument(d.id);
      const vectorsBuilt = await target.store.count(LOCAL_USER.id);
      await target.close();
      target = undefined;

      const old = this.embedder;
      await this.switchStores(next, embedder);
      this.settings.update({ ...patch, vector: { ...patch.vector, generation } });
      await old?.close();
      // The new model's token limit may cut documents into other chunks: the keyword entries
      // (and the rows' chunk counts) follow in the background, from the stored text.
      await this.queue.enqueueKeywordBuilds(await this.stores.relational.listDocuments(LOCAL_USER.id));
      const previous = openVectorStore(before, this.opts.dataDir, this.opts.sqliteNativeBinding);
      await previous.store.drop().catch(() => {}); // best effort: a leftover index is only disk space
      await previous.close();
      this.metrics.indexBuilt({
        kind: 'reindex',
        documents: now.length,
        vectors: vectorsBuilt,
        ms: Math.round(performance.now() - buildStarted),
        finishedAt: new Date().toISOString(),
      });
      status.state = 'done';
      report();
    } catch (err) {
      await target?.store.drop().catch(() => {});
      await target?.close();
      if (embedder !== this.embedder) await embedder?.close();
      status.state = 'failed';
      status.message = `Re-indexing for ${status.model} failed; search still uses ${before.embedding.model}: ${(err as Error).message}`;
      report();
      this.queue = this.queue.closed ? this.makeQueue(this.stores) : this.queue;
      await this.queue.resume();
    }
  }

  async getStatus(): Promise<KbStatus> {
    // Every figure is asked for at once; a store that is down reports unavailable and 0 / no size.
    // Remote vector stores answer once connected (after the model reports its dimension).
    const figures = { relational: this.stores.relational, vector: this.stores.vector, vectorReady: this.vectorReady };
    const [relational, vector, counts, storage] = await Promise.all([
      this.stores.relational.isAvailable(),
      this.stores.vector.isAvailable(),
      storeCounts(figures, LOCAL_USER.id),
      storageSize(figures, join(this.opts.dataDir, 'files')),
    ]);
    const { documents, vectors: chunks } = counts;
    const pool = this.stores.poolUse();
    const settings = this.settings.current();
    const embedding = this.embedder
      ? { ...this.embedder.status(), ...(this.embedderError ? { message: this.embedderError.message, ready: false } : {}) }
      : { modelId: settings.embedding.model, dimensions: 0, source: '', ready: false, message: toErrorShape(this.embedderError).message };
    return {
      version: pkg.version,
      dataDir: this.opts.dataDir,
      relational,
      vector,
      embedding,
      documents,
      chunks,
      queue: this.queue.counts(),
      ingest: this.queue.stats(),
      ...(this.reindex ? { reindex: this.reindex } : {}),
      ...(this.mismatch ? { mismatch: this.mismatch } : {}),
      ...(this.changes?.status ? { providerChange: this.changes.status } : {}),
      ...readOnlyOf(this.libraryAccess()),
      lastBackup: this.backups.lastBackup() ?? null,
      ...(this.backupsInstance?.status ? { backup: this.backupsInstance.status } : {}),
      counts,
      metrics: { ...this.metrics.snapshot(), storage, ...(pool ? { pool } : {}) },
    };
  }

  async listModels(): Promise<ModelChoice[]> {
    const active = this.settings.current().embedding.model;
    const dirs = { resourcesDir: this.opts.resourcesDir, dataDir: this.opts.dataDir };
    return MODELS.map(({ bundled: _bundled, ...m }) => ({
      ...m,
      installed: m.runtime === 'transformers' && isModelOnDisk(m.id, dirs),
      active: m.id === active,
    }));
  }

  /** Resolves once the model has loaded or failed to (the outcome is in getStatus). */
  modelReady(): Promise<void> {
    return this.vectorReady.catch(() => {});
  }

  /** Stops indexing for now (the CLI's Ctrl+C): unfinished jobs stay queued for the next start. */
  async stopIndexing(): Promise<void> {
    await this.queue.close();
  }

  /** Resolves when all queued indexing (with repairs found at start) has finished (the CLI waits on this). */
  async idle(): Promise<void> {
    await this.reconciled;
    await this.queue.idle();
  }

  /** Resolves once the saved folders are watched and caught up with (tests wait on this). */
  whenWatching(): Promise<void> {
    return this.watching;
  }

  /** What moving to the patched stores would do, computed without changing the library. */
  async planProviderChange(patch: ParsedInput<'planProviderChange'>): Promise<ProviderChangePlan> {
    return this.providerChanges.plan(patch);
  }

  /** Copies (or re-indexes) into the new stores while serving from the current ones, verifies, then switches. */
  async applyProviderChange({ patch, strategy }: ParsedInput<'applyProviderChange'>): Promise<ProviderChangeStatus> {
    return this.providerChanges.apply(patch, strategy);
  }

  async cancelProviderChange(): Promise<{ cancelled: boolean }> {
    return { cancelled: this.providerChanges.cancel() };
  }

  async reconcileStores(input: ParsedInput<'reconcileStores'>): Promise<ReconcileReport> {
    await this.reconciled;
    return this.checkStores(input?.force ?? false);
  }

  /** Writes the library to one archive (see core/service/backups.ts). */
  async backupLibrary(input: ParsedInput<'backupLibrary'>): Promise<BackupResult> {
    return this.backups.backup({ ...(input?.path ? { path: input.path } : {}), ...(input?.originals !== undefined ? { originals: input.originals } : {}) });
  }

  /** Replaces the library with a backup's, through new stores switched to only when complete. */
  async restoreLibrary(input: ParsedInput<'restoreLibrary'>): Promise<RestoreResult> {
    return this.backups.restore({ path: input.path, ...(input.reindex !== undefined ? { reindex: input.reindex } : {}) });
  }

  async listBackups(): Promise<{ backups: BackupInfo[]; last: LastBackup | null; folder: string }> {
    return { backups: this.backups.list(), last: this.backups.lastBackup() ?? null, folder: this.backups.folder };
  }

  /** Makes the schedule's backup now if one is due (tests; the timer calls the same). */
  runScheduledBackup(now?: number): Promise<BackupResult | undefined> {
    return this.backups.runScheduled(now);
  }

  async close(): Promise<void> {
    this.backupsInstance?.stopSchedule();
    try {
      await this.inbox?.stop();
      await this.watching;
      await this.watched.closeAll();
      await this.queue.close();
      await this.parser.close();
      await this.embedder?.close();
      await this.recordStoresInStep();
      await this.stores.close();
    } finally {
      this.lock?.release();
    }
  }

  /**
   * At a clean close, with nothing left to write: a stamp of both stores for the next start,
   * which then skips reading every vector if neither changed (see reconcile.ts). Only when a check
   * ran in this run and found no wholesale mismatch; any doubt records nothing (a full check next).
   */
  private async recordStoresInStep(): Promise<void> {
    if (!this.lock?.held || !this.storesChecked || this.mismatch) return;
    try {
      const stamp = await stampStores(this.stores);
      if (stamp) recordCleanClose(this.opts.dataDir, stamp);
    } catch {
      // A store that is down now: the next start checks fully.
    }
  }
}

/**
 * Emits at most once per `ms`, keeping the latest value for a trailing emit; a value `urgent`
 * says the UI must not miss (compared with the last one emitted) goes out at once.
 */
function throttledEmitter<T>(emit: (value: T) => void, ms: number, urgent: (prev: T | undefined, next: T) => boolean) {
  let last = 0;
  let lastValue: T | undefined;
  let pending: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    last = Date.now();
    lastValue = pending.value;
    pending = undefined;
    emit(lastValue);
  };
  return {
    emit(value: T) {
      pending = { value };
      if (urgent(lastValue, value) || Date.now() - last >= ms) {
        if (timer) clearTimeout(timer);
        flush();
      } else if (!timer) {
        timer = setTimeout(flush, ms - (Date.now() - last));
        timer.unref();
      }
    },
  };
}

/**
 * Opens and migrates the configured stores; nothing is left open on failure. `readOnly` (a service
 * without the library's lock): the embedded database refuses writes, and an up-to-date schema is
 * only read; the user row is the writer's to add.
 */
async function connectStores(settings: Settings, opts: KbServiceOptions, readOnly = false): Promise<Stores> {
  const stores = openStores(settings, opts.dataDir, opts.sqliteNativeBinding, { readOnly });
  try {
    await stores.relational.connect();
    if (!readOnly) await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
    return stores;
  } catch (err) {
    await stores.close();
    throw err;
  }
}

/** Whether two settings need different store connections. */
function storesDiffer(a: Settings, b: Settings): boolean {
  return JSON.stringify([a.relational, a.vector]) !== JSON.stringify([b.relational, b.vector]);
}

/** The model's limit and tokenizer for chunk sizing, where the tokenizer is local. */
function tokenBudgetOf(embedder: EmbeddingProvider): TokenBudget | undefined {
  const count = embedder.countTokens?.bind(embedder);
  return count ? { maxTokens: embedder.maxTokens, count } : undefined;
}

/** The holder did not take the handed-over files: the usual refusal, saying so. */
function notTaken(refusal: KbError): KbError {
  return new KbError('LibraryInUse', `${refusal.message} It did not take the files handed to it (an older version, or busy): add them there, or try again when it has finished.`);
}

function readOnlyOf(access: { writable: boolean; holder?: LockHolder }): Pick<KbStatus, 'readOnly'> {
  return access.writable ? {} : { readOnly: access.holder ? { holder: access.holder } : {} };
}
