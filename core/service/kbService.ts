import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../package.json';
import type { KbEvents, ParsedInput } from '../api/contract';
import { KbError, toErrorShape } from '../api/errors';
import type { Settings, SettingsPatch } from '../api/settings';
import type { ConnectionTestResult, DocumentSummary, KbStatus, ModelChoice, ReindexStatus } from '../api/types';
import { isModelOnDisk } from '../embeddings/modelLocation';
import { MODELS } from '../embeddings/registry';
import { dimensionsFromEnv } from '../config/envSettings';
import { SettingsStore, toPublicSettings } from '../config/settingsStore';
import type { EmbeddingProvider } from '../embeddings/types';
import { FileStore } from '../ingest/fileStore';
import { chunkOptions } from '../ingest/chunker';
import type { TokenBudget } from '../ingest/fitToTokens';
import { IngestQueue } from '../ingest/ingestQueue';
import { reindexDocuments } from '../ops/reindexDocuments';
import { toJobProgress } from '../ingest/jobProgress';
import type { DocumentRecord } from '../relational/types';
import { semanticSearch } from '../search/semanticSearch';
import { TypedEmitter } from '../util/emitter';
import { createEmbedder, type EmbedderContext } from './embedderFactory';
import type { KbService, KbServiceOptions } from './options';
import { openStores, openVectorStore, type Stores } from './providers';

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

  private constructor(
    private readonly opts: KbServiceOptions & { env: Record<string, string | undefined> },
    private readonly settings: SettingsStore,
    private stores: Stores,
  ) {
    this.files = new FileStore(join(opts.dataDir, 'files'));
    this.vectorReady = this.startEmbedder(settings.current());
    this.queue = this.makeQueue(stores);
  }

  static async create(options: KbServiceOptions): Promise<KbServiceImpl> {
    const env = options.env ?? process.env;
    mkdirSync(options.dataDir, { recursive: true });
    const settings = new SettingsStore(options.dataDir, env);
    dimensionsFromEnv(env); // a malformed value fails at start, not at first search
    const stores = await connectStores(settings.current(), options);
    const service = new KbServiceImpl({ ...options, env }, settings, stores);
    await service.queue.resume();
    return service;
  }

  private makeQueue(stores: Stores): IngestQueue {
    return new IngestQueue({
      relational: stores.relational,
      vector: stores.vector,
      transaction: (fn) => stores.transaction(fn),
      embed: async (texts) => {
        await this.vectorReady;
        return this.requireEmbedder().embed(texts);
      },
      tokenBudget: async () => {
        await this.vectorReady;
        return tokenBudgetOf(this.requireEmbedder());
      },
      files: this.files,
      ingestSettings: () => this.settings.current().ingest,
      onProgress: (p) => this.events.emit('ingestProgress', p),
      onDocumentsChanged: () => this.events.emit('documentsChanged', { reason: 'indexed' }),
    });
  }

  /**
   * Moves the app onto other stores (and, for a model change, another model): the new stores
   * must connect and accept the model's dimension before anything changes; indexing pauses for
   * the switch and resumes on the new stores. Vectors are not copied: that is `kb migrate-vectors`.
   */
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

  async ingestFiles({ paths }: ParsedInput<'ingestFiles'>) {
    return this.queue.enqueuePaths(LOCAL_USER.id, paths);
  }

  async ingestUpload({ name, bytes }: ParsedInput<'ingestUpload'>) {
    const base = name.split(/[\\/]/).pop()?.trim();
    if (!base) throw new KbError('ValidationError', `"${name}" is not a file name`);
    return this.queue.enqueueUpload(LOCAL_USER.id, base, bytes);
  }

  async listJobs() {
    return (await this.stores.relational.listJobs(LOCAL_USER.id, 500)).map(toJobProgress);
  }

  async listDocuments() {
    return (await this.stores.relational.listDocuments(LOCAL_USER.id)).map(toSummary);
  }

  async deleteDocument({ id }: ParsedInput<'deleteDocument'>) {
    const doc = await this.stores.relational.getDocument(id);
    if (!doc || doc.userId !== LOCAL_USER.id) throw new KbError('NotFound', `No document with id ${id}`);
    await this.vectorReady;
    // One transaction where the stores share a database; elsewhere vectors go first, so if the
    // app stops in between, the row is still there to delete again.
    await this.stores.transaction(async () => {
      await this.stores.vector.deleteByDocument(id);
      await this.stores.relational.deleteDocument(id);
    });
    this.events.emit('documentsChanged', { reason: 'deleted' });
    return { id, deleted: true };
  }

  async search({ query, k }: ParsedInput<'search'>) {
    await this.vectorReady;
    return semanticSearch(
      { relational: this.stores.relational, vector: this.stores.vector, embedder: this.requireEmbedder() },
      LOCAL_USER.id,
      query,
      k,
    );
  }

  async getSettings() {
    return toPublicSettings(this.settings.current());
  }

  async updateSettings(patch: ParsedInput<'updateSettings'>) {
    const before = this.settings.current();
    const next = this.settings.preview(patch);
    if (storesDiffer(before, next)) {
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
      // A new model, server or download permission: load the model afresh.
      await this.embedder?.close();
      this.vectorReady = this.startEmbedder(this.settings.current());
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
      await target.close();
      target = undefined;

      const old = this.embedder;
      await this.switchStores(next, embedder);
      this.settings.update({ ...patch, vector: { ...patch.vector, generation } });
      await old?.close();
      const previous = openVectorStore(before, this.opts.dataDir, this.opts.sqliteNativeBinding);
      await previous.store.drop().catch(() => {}); // best effort: a leftover index is only disk space
      await previous.close();
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
    const [relational, vector, documents, chunks] = await Promise.all([
      this.stores.relational.isAvailable(),
      this.stores.vector.isAvailable(),
      this.stores.relational.countDocuments(LOCAL_USER.id),
      // Remote vector stores answer once connected (after the model reports its dimension).
      this.vectorReady.then(() => this.stores.vector.count(LOCAL_USER.id)).catch(() => 0),
    ]);
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
      ...(this.reindex ? { reindex: this.reindex } : {}),
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

  /** Resolves when all queued indexing has finished (the CLI waits on this). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.embedder?.close();
    await this.stores.close();
  }
}

/** Opens and migrates the configured stores; nothing is left open on failure. */
async function connectStores(settings: Settings, opts: KbServiceOptions): Promise<Stores> {
  const stores = openStores(settings, opts.dataDir, opts.sqliteNativeBinding);
  try {
    await stores.relational.connect();
    await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
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
