import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { KbError, toErrorShape } from '../api/errors';
import type { Settings } from '../api/settings';
import type { IngestAccepted, JobProgress } from '../api/types';
import type { JobRecord, JobUpdate, RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';
import { chunkOptions, chunkText } from './chunker';
import { toChunkVectors } from './chunkVectors';
import { fitChunksToTokens, type TokenBudget } from './fitToTokens';
import { sha256, type FileStore } from './fileStore';
import { mimeTypeFor, parseDocument } from './parsers';

/** What can be indexed, in the words error messages use. */
const READABLE = '.txt, .md, .pdf, .docx, .html, .csv, .json and source code';
import { toJobProgress } from './jobProgress';
import { expandPaths } from './walk';

/** Chunks embedded between two progress updates (one worker round-trip). */
const EMBED_STEP = 32;

export interface IngestDeps {
  relational: RelationalStore;
  vector: VectorStore;
  /** Commits a document's vectors and row together where the stores allow it. */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The model's token limit and tokenizer, once the model is ready (undefined: no local tokenizer). */
  tokenBudget: () => Promise<TokenBudget | undefined>;
  /** Embeds a batch of chunk texts (in the embedding worker). */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  files: FileStore;
  ingestSettings: () => Settings['ingest'];
  onProgress: (p: JobProgress) => void;
  onDocumentsChanged: () => void;
}

/**
 * The ingestion job queue. Every file is a job row in the relational store, so work survives a
 * crash: on start, `resume()` picks up whatever was unfinished. Jobs run one at a time (embedding
 * is the bottleneck and runs in its own thread); a failing file fails alone with an error kind.
 */
export class IngestQueue {
  private readonly queue: string[] = [];
  private running: Promise<void> | undefined;
  private active = 0;
  private stopping = false;

  constructor(private readonly deps: IngestDeps) {}

  async enqueuePaths(userId: string, paths: string[]): Promise<IngestAccepted> {
    const { files, missing } = await expandPaths(paths);
    const batchId = randomUUID();
    const jobs = [
      ...files.map((f) => this.newJob(batchId, userId, f.name, f.path, f.path, null)),
      ...missing.map((m) => ({
        ...this.newJob(batchId, userId, m.path.split(/[\\/]/).pop() || m.path, m.path, m.path, null),
        state: 'failed' as const,
        errorKind: 'NotFound',
        errorMessage: `Cannot read ${m.path}: ${m.reason}`,
      })),
    ];
    if (jobs.length === 0) {
      throw new KbError(
        'UnsupportedFile',
        `Nothing to index in what was dropped: no ${READABLE} files found (hidden folders and node_modules are skipped).`,
      );
    }
    return this.accept(batchId, jobs);
  }

  async enqueueUpload(userId: string, name: string, bytes: Uint8Array): Promise<IngestAccepted> {
    const batchId = randomUUID();
    const storageKey = this.deps.files.put(bytes);
    return this.accept(batchId, [this.newJob(batchId, userId, name, `upload:${name}`, null, storageKey)]);
  }

  private newJob(
    batchId: string,
    userId: string,
    fileName: string,
    sourceKey: string,
    sourcePath: string | null,
    storageKey: string | null,
  ): JobRecord {
    const now = new Date().toISOString();
    return {
      id: randomUUID(),
      batchId,
      userId,
      fileName,
      sourceKey,
      sourcePath,
      storageKey,
      state: 'queued',
      chunksDone: 0,
      chunksTotal: 0,
      documentId: null,
      note: null,
      errorKind: null,
      errorMessage: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  private async accept(batchId: string, jobs: JobRecord[]): Promise<IngestAccepted> {
    await this.deps.relational.createJobs(jobs);
    const progress = jobs.map(toJobProgress);
    progress.forEach((p) => this.deps.onProgress(p));
    this.queue.push(...jobs.filter((j) => j.state === 'queued').map((j) => j.id));
    this.kick();
    return { batchId, jobs: progress };
  }

  /** Re-queues jobs a crash or a quit left unfinished. */
  async resume(): Promise<number> {
    const jobs = await this.deps.relational.unfinishedJobs();
    this.queue.push(...jobs.map((j) => j.id).filter((id) => !this.queue.includes(id)));
    this.kick();
    return jobs.length;
  }

  counts(): { queued: number; active: number } {
    return { queued: this.queue.length, active: this.active };
  }

  /** Resolves once the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Whether close() was called: a closed queue takes no more work. */
  get closed(): boolean {
    return this.stopping;
  }

  private kick(): void {
    if (this.running || this.stopping) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length && !this.stopping) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.stopping) {
      const id = this.queue.shift() as string;
      const job = await this.deps.relational.getJob(id);
      if (!job || job.state === 'done' || job.state === 'failed' || job.state === 'skipped') continue;
      this.active = 1;
      try {
        await this.process(job);
      } catch (err) {
        if (this.stopping && err instanceof KbError && err.kind === 'Cancelled') break; // resumes next start
        const e = toErrorShape(err);
        await this.update(job.id, { state: 'failed', errorKind: e.kind, errorMessage: e.message });
      } finally {
        this.active = 0;
      }
    }
  }

  private async update(id: string, patch: JobUpdate): Promise<JobRecord> {
    const row = await this.deps.relational.updateJob(id, patch);
    this.deps.onProgress(toJobProgress(row));
    return row;
  }

  private async readBytes(job: JobRecord): Promise<Uint8Array> {
    const maxBytes = this.deps.ingestSettings().maxFileSizeMb * 1024 * 1024;
    if (job.storageKey) return this.deps.files.get(job.storageKey);
    const path = job.sourcePath as string;
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
      throw new KbError('NotFound', `Cannot read ${path}: ${err.code === 'ENOENT' ? 'it no longer exists' : err.message}`);
    });
    if (!info.isFile()) throw new KbError('UnsupportedFile', `${job.fileName} is not a regular file.`);
    if (info.size > maxBytes) {
      throw new KbError(
        'FileTooLarge',
        `${job.fileName} is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${maxBytes / 1024 / 1024} MB (Settings → Indexing).`,
      );
    }
    return readFile(path);
  }

  private async process(job: JobRecord): Promise<void> {
    const { relational, vector, files } = this.deps;
    await this.update(job.id, { state: 'parsing' });
    const mimeType = mimeTypeFor(job.fileName);
    if (!mimeType) {
      throw new KbError('UnsupportedFile', `${job.fileName}: this file type is not supported yet (qckstrt reads ${READABLE}).`);
    }
    const bytes = await this.readBytes(job);
    if (bytes.byteLength === 0) throw new KbError('UnsupportedFile', `${job.fileName} is empty: there is nothing to index.`);
    const contentHash = sha256(bytes);
    const existing = await relational.findDocumentBySource(job.userId, job.sourceKey);
    if (existing && existing.contentHash === contentHash) {
      await this.update(job.id, { state: 'skipped', documentId: existing.id, note: 'unchanged since it was last indexed' });
      return;
    }
    const { text } = await parseDocument(bytes, job.fileName);
    const options = chunkOptions(this.deps.ingestSettings());
    const budget = await this.deps.tokenBudget();
    const rough = chunkText(text, options);
    const chunks = budget ? await fitChunksToTokens(text, rough, options, budget) : rough;
    if (chunks.length === 0) throw new KbError('UnsupportedFile', `${job.fileName} has no text to index.`);
    const storageKey = job.storageKey ?? files.put(bytes);
    // The document id is fixed before any vector is written, so a re-run after a crash replaces
    // the partial vectors of the first attempt instead of orphaning them.
    const documentId = existing?.id ?? job.documentId ?? randomUUID();
    await this.update(job.id, { state: 'embedding', documentId, chunksTotal: chunks.length, chunksDone: 0, storageKey });

    const embeddings: Float32Array[] = [];
    for (let i = 0; i < chunks.length; i += EMBED_STEP) {
      if (this.stopping) throw new KbError('Cancelled', 'Indexing stopped; it resumes at the next start.');
      embeddings.push(...(await this.deps.embed(chunks.slice(i, i + EMBED_STEP).map((c) => c.text))));
      await this.update(job.id, { chunksDone: embeddings.length });
    }

    await this.update(job.id, { state: 'storing' });
    const now = new Date().toISOString();
    const vectors = toChunkVectors(documentId, chunks, embeddings);
    const record = {
      id: documentId,
      userId: job.userId,
      name: job.fileName,
      sourceKey: job.sourceKey,
      sourcePath: job.sourcePath,
      storageKey,
      contentHash,
      mimeType,
      size: bytes.byteLength,
      chunkCount: chunks.length,
      uploadedAt: existing?.uploadedAt ?? now,
      updatedAt: now,
    };
    await this.deps.transaction(async () => {
      await vector.upsert(job.userId, documentId, vectors);
      await relational.saveDocument(record, text);
    });
    await this.update(job.id, { state: 'done' });
    this.deps.onDocumentsChanged();
  }
}
