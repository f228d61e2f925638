import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../package.json';
import type { KbEvents, ParsedInput } from '../api/contract';
import { KbError, toErrorShape } from '../api/errors';
import type { Settings } from '../api/settings';
import type { ConnectionTestResult, DocumentSummary, KbStatus, ProviderHealth } from '../api/types';
import { dimensionsFromEnv } from '../config/envSettings';
import { SettingsStore, toPublicSettings } from '../config/settingsStore';
import type { EmbeddingProvider } from '../embeddings/types';
import { FileStore } from '../ingest/fileStore';
import { IngestQueue } from '../ingest/ingestQueue';
import { toJobProgress } from '../ingest/jobProgress';
import type { DocumentRecord } from '../relational/types';
import { semanticSearch } from '../search/semanticSearch';
import { TypedEmitter } from '../util/emitter';
import { createEmbedder } from './embedderFactory';
import type { KbService, KbServiceOptions } from './options';
import { openStores, type Stores } from './providers';

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
  private readonly queue: IngestQueue;
  private embedder: EmbeddingProvider | undefined;
  private embedderError: KbError | undefined;
  private vectorReady: Promise<void>;

  private constructor(
    private readonly opts: KbServiceOptions & { env: Record<string, string | undefined> },
    private readonly settings: SettingsStore,
    private readonly stores: Stores,
  ) {
    this.vectorReady = this.startEmbedder(settings.current());
    this.queue = new IngestQueue({
      relational: stores.relational,
      vector: stores.vector,
      embed: async (texts) => {
        await this.vectorReady;
        return this.requireEmbedder().embed(texts);
      },
      files: new FileStore(join(opts.dataDir, 'files')),
      ingestSettings: () => this.settings.current().ingest,
      onProgress: (p) => this.events.emit('ingestProgress', p),
      onDocumentsChanged: () => this.events.emit('documentsChanged', { reason: 'indexed' }),
    });
  }

  static async create(options: KbServiceOptions): Promise<KbServiceImpl> {
    const env = options.env ?? process.env;
    mkdirSync(options.dataDir, { recursive: true });
    const settings = new SettingsStore(options.dataDir, env);
    dimensionsFromEnv(env); // a malformed value fails at start, not at first search
    const stores = openStores(settings.current(), options.dataDir, options.sqliteNativeBinding);
    try {
      await stores.relational.connect();
      await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
    } catch (err) {
      stores.close();
      throw err;
    }
    const service = new KbServiceImpl({ ...options, env }, settings, stores);
    await service.queue.resume();
    return service;
  }

  private startEmbedder(settings: Settings): Promise<void> {
    try {
      this.embedder = createEmbedder(settings.embedding, {
        resourcesDir: this.opts.resourcesDir,
        dataDir: this.opts.dataDir,
        env: this.opts.env,
        ...(this.opts.embedWorkerPath ? { workerPath: this.opts.embedWorkerPath } : {}),
      });
      this.embedderError = undefined;
    } catch (err) {
      this.embedder = undefined;
      this.embedderError = err instanceof KbError ? err : new KbError('ModelUnavailable', (err as Error).message);
      return Promise.reject(this.embedderError);
    }
    const embedder = this.embedder;
    const ready = embedder.ready().then(() => this.stores.vector.connect(embedder.dimensions));
    ready.catch((err: unknown) => {
      this.embedderError = err instanceof KbError ? err : new KbError('ModelUnavailable', String(err));
    });
    return ready;
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
    // Vectors first: if the app stops in between, the row is still there to delete again.
    await this.stores.vector.deleteByDocument(id);
    await this.stores.relational.deleteDocument(id);
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
    if (next.relational.provider !== before.relational.provider || next.vector.provider !== before.vector.provider) {
      const test = await this.testConnection(patch);
      const failed = [test.relational, test.vector].find((h) => !h.available);
      if (failed) throw new KbError('ProviderUnavailable', `Not switched: ${failed.provider}: ${failed.message}`);
    }
    if (next.embedding.model !== before.embedding.model || next.embedding.allowDownload !== before.embedding.allowDownload) {
      if ((await this.stores.vector.count()) > 0) {
        throw new KbError(
          'ValidationError',
          'Changing the embedding model needs a re-index of the library, which this version cannot do in place yet. Delete the documents first, or keep the current model.',
        );
      }
      this.settings.update(patch);
      await this.embedder?.close();
      this.vectorReady = this.startEmbedder(this.settings.current());
      this.vectorReady.catch(() => {});
    } else {
      this.settings.update(patch);
    }
    return toPublicSettings(this.settings.current());
  }

  async testConnection(patch: ParsedInput<'testConnection'>): Promise<ConnectionTestResult> {
    const candidate = this.settings.preview(patch);
    const current = this.settings.current();
    const check = async (same: boolean, health: () => Promise<ProviderHealth>, provider: string) => {
      if (same) return health();
      return { provider, available: false, latencyMs: 0, message: `The ${provider} provider is not available in this version yet.` };
    };
    return {
      relational: await check(
        candidate.relational.provider === current.relational.provider,
        () => this.stores.relational.isAvailable(),
        candidate.relational.provider,
      ),
      vector: await check(
        candidate.vector.provider === current.vector.provider,
        () => this.stores.vector.isAvailable(),
        candidate.vector.provider,
      ),
    };
  }

  async getStatus(): Promise<KbStatus> {
    const [relational, vector, documents, chunks] = await Promise.all([
      this.stores.relational.isAvailable(),
      this.stores.vector.isAvailable(),
      this.stores.relational.countDocuments(LOCAL_USER.id),
      this.stores.vector.count(LOCAL_USER.id).catch(() => 0),
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
    };
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
    this.stores.close();
  }
}
