import { randomUUID } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KbError, toErrorShape } from '../api/errors';
import type { Settings } from '../api/settings';
import { FINISHED_JOB_STATES, type IngestAccepted, type IngestStats, type JobProgress } from '../api/types';
import type { DocumentRecord, JobRecord, JobUpdate, RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';
import { chunkDocument, type ChunkLimit, type LocatedChunk } from './chunkDocument';
import { chunkOptions } from './chunker';
import { toChunkVectors, toKeywordChunks } from './chunkVectors';
import type { TokenBudget } from './fitToTokens';
import { sha256, type FileStore } from './fileStore';
import type { IngestMeter } from './ingestMeter';
import { toJobProgress } from './jobProgress';
import { maxChunksFor } from './outputLimits';
import { mimeTypeFor, type DocumentOutline as ParsedDocumentOutline, type ParsedDocument } from './parsers';
import type { PauseGate } from './pauseGate';
import { ReadAhead } from './readAhead';
import { fileTooLarge, maxFileBytes } from './sizeLimit';
import { waitForStores } from './storeOutage';
import { expandPaths, type WalkOptions } from './walk';

/** What can be indexed, in the words error messages use. */
const READABLE = '.txt, .md, .pdf, .docx, .html, .csv, .json and source code';

/** Chunks embedded between two progress updates (one worker round-trip). */
const EMBED_STEP = 32;

/** A file's text, outline and chunks, as they are embedded and stored. */
interface ParsedFile {
  text: string;
  outline: ParsedDocumentOutline;
  chunks: LocatedChunk[];
}

/** A file job's bytes, read ahead of its turn, and their parse unless the file was unchanged. */
interface FileAhead {
  bytes: Uint8Array;
  contentHash: string;
  parsed?: Promise<ParsedFile>;
}

/** Why the job in progress was stopped: the user cancelled it, or the queue is closing (it resumes next start). */
type StopReason = 'cancel' | 'close';

export interface IngestDeps {
  relational: RelationalStore;
  vector: VectorStore;
  /** Commits a document's vectors and row together where the stores allow it. */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The model's token limit and tokenizer, once the model is ready (undefined: no local tokenizer). */
  tokenBudget: () => Promise<TokenBudget | undefined>;
  /** Embeds a batch of chunk texts (in the embedding worker). */
  embed: (texts: string[], signal: AbortSignal) => Promise<Float32Array[]>;
  /** Reads a file's text and structure (in the parse worker); stops early when `signal` aborts. */
  parse: (bytes: Uint8Array, fileName: string, signal: AbortSignal) => Promise<ParsedDocument>;
  files: FileStore;
  ingestSettings: () => Settings['ingest'];
  /** Pause and resume, shared by every queue the service makes (it outlives a store switch). */
  gate: PauseGate;
  /** The run's counters and pace, shared likewise. */
  meter: IngestMeter;
  /** Work starts only after this settles (start-up reconciliation); read when work starts. */
  startAfter?: () => Promise<void>;
  onProgress: (p: JobProgress) => void;
  onStats: (s: IngestStats) => void;
  onDocumentsChanged: () => void;
}

/** A document whose vectors are missing, to re-embed from its stored text. */
export type RepairTarget = Pick<DocumentRecord, 'id' | 'userId' | 'name' | 'sourceKey' | 'sourcePath' | 'storageKey'>;

/**
 * The ingestion job queue. Every file is a job row in the relational store, so work survives a
 * crash: on start, `resume()` picks up whatever was unfinished. Jobs run one at a time (embedding
 * is the bottleneck and runs in its own thread); a failing file fails alone with an error kind.
 * Work stops at checkpoints (before a job, between embedding steps) for pause, cancel and close.
 */
export class IngestQueue {
  /** Ids of the jobs waiting, in order (a Set: cancelling or resuming thousands stays linear). */
  private queue = new Set<string>();
  /** A store that went away mid-indexing, while the queue waits for it. */
  private waitingFor: IngestStats['waitingFor'];
  private running: Promise<void> | undefined;
  private active: { id: string; batchId: string; stop: AbortController } | undefined;
  private stopping = false;
  private readonly closing = new AbortController();
  /** The next file job, read and parsed while the one before it is embedded. */
  private readonly ahead = new ReadAhead<FileAhead | undefined>();

  constructor(private readonly deps: IngestDeps) {}

  async enqueuePaths(userId: string, paths: string[], walk: WalkOptions = {}): Promise<IngestAccepted> {
    const { followExternalLinks } = this.deps.ingestSettings();
    const { files, missing, skipped } = await expandPaths(paths, { followExternalLinks, ...walk });
    const batchId = randomUUID();
    const jobs = [
      ...files.map((f) => this.newJob(batchId, userId, f.name, f.path, f.path, null)),
      ...missing.map((m) => ({
        ...this.newJob(batchId, userId, m.path.split(/[\\/]/).pop() || m.path, m.path, m.path, null),
        state: 'failed' as const,
        errorKind: 'NotFound',
        errorMessage: `Cannot read ${m.path}: ${m.reason}`,
      })),
      // Entries of a folder not followed or not regular files: listed, finished, with their reason.
      ...skipped.map((s) => ({
        ...this.newJob(batchId, userId, basename(s.path), s.path, s.path, null),
        state: 'skipped' as const,
        note: s.reason,
      })),
    ];
    if (jobs.length === 0) {
      throw new KbError(
        'UnsupportedFile',
        `Nothing to index in what was dropped: no ${READABLE} files found (hidden folders, node_modules and excluded patterns are skipped).`,
      );
    }
    return this.accept(batchId, jobs);
  }

  async enqueueUpload(userId: string, name: string, bytes: Uint8Array): Promise<IngestAccepted> {
    // Refused before its copy is written to the data folder; the same limit as a file by path.
    const limit = maxFileBytes(this.deps.ingestSettings().maxFileSizeMb);
    if (bytes.byteLength > limit) throw fileTooLarge(name, bytes.byteLength, limit);
    const batchId = randomUUID();
    const storageKey = this.deps.files.put(bytes);
    return this.accept(batchId, [this.newJob(batchId, userId, name, `upload:${name}`, null, storageKey)]);
  }

  /** Queues re-embedding of documents whose vectors went missing (start-up reconciliation). */
  async enqueueRepairs(docs: RepairTarget[]): Promise<IngestAccepted | undefined> {
    return this.enqueueDocumentJobs(docs, 'repair', 'its vectors were missing: re-embedding the stored text');
  }

  /**
   * Queues (re)building the keyword index entries of indexed documents from their stored text:
   * a library indexed before the keyword index existed (or under an older version of it), and
   * every document after a model change (its chunks follow the new model's token limit).
   */
  async enqueueKeywordBuilds(docs: RepairTarget[]): Promise<IngestAccepted | undefined> {
    return this.enqueueDocumentJobs(docs, 'keywords', 'building its keyword index entries');
  }

  /**
   * Queues indexing documents again from their originals (the library's "Re-index"): read,
   * parsed, chunked and embedded afresh even when the bytes are unchanged.
   */
  async enqueueReindex(docs: RepairTarget[]): Promise<IngestAccepted | undefined> {
    return this.enqueueDocumentJobs(docs, 'reindex', 'indexing again from its original');
  }

  private async enqueueDocumentJobs(docs: RepairTarget[], kind: 'repair' | 'keywords' | 'reindex', note: string): Promise<IngestAccepted | undefined> {
    if (docs.length === 0) return undefined;
    const batchId = randomUUID();
    const jobs = docs.map((d) => ({
      ...this.newJob(batchId, d.userId, d.name, d.sourceKey, d.sourcePath, d.storageKey),
      kind,
      documentId: d.id,
      note,
    }));
    return this.accept(batchId, jobs);
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
      kind: 'file',
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
    this.deps.meter.added(jobs.length);
    const progress = jobs.map(toJobProgress);
    for (const p of progress) {
      this.deps.onProgress(p);
      if (FINISHED_JOB_STATES.includes(p.state)) this.deps.meter.finished(p.state !== 'failed');
    }
    for (const j of jobs) if (j.state === 'queued') this.queue.add(j.id);
    this.emitStats();
    this.kick();
    return { batchId, jobs: progress };
  }

  /** Re-queues jobs a crash or a quit left unfinished. */
  async resume(): Promise<number> {
    const jobs = (await this.deps.relational.unfinishedJobs()).filter((j) => !this.queue.has(j.id));
    if (jobs.length) this.deps.meter.added(jobs.length);
    for (const j of jobs) this.queue.add(j.id);
    this.emitStats();
    this.kick();
    return jobs.length;
  }

  /**
   * Cancels unfinished jobs: one (jobId), one batch (batchId), or all of them. Queued jobs end
   * at once; the job in progress stops at its next checkpoint, writing nothing.
   */
  async cancel(target: { jobId?: string; batchId?: string } = {}): Promise<number> {
    const matches = (j: { id: string; batchId: string }) =>
      (!target.jobId || j.id === target.jobId) && (!target.batchId || j.batchId === target.batchId);
    let cancelled = 0;
    if (this.active && matches(this.active)) {
      this.active.stop.abort('cancel' satisfies StopReason);
      cancelled++;
    }
    for (const job of await this.deps.relational.unfinishedJobs()) {
      if (!matches(job) || job.id === this.active?.id) continue;
      this.queue.delete(job.id);
      this.ahead.drop(job.id);
      await this.update(job.id, { state: 'cancelled', note: 'cancelled' });
      cancelled++;
    }
    this.emitStats();
    return cancelled;
  }

  pause(): IngestStats {
    this.deps.gate.pause();
    return this.emitStats();
  }

  resumeWork(): IngestStats {
    this.deps.gate.resume();
    return this.emitStats();
  }

  stats(): IngestStats {
    const stats = this.deps.meter.snapshot(this.deps.gate.paused);
    return this.waitingFor ? { ...stats, waitingFor: this.waitingFor } : stats;
  }

  private emitStats(): IngestStats {
    const stats = this.stats();
    this.deps.onStats(stats);
    return stats;
  }

  counts(): { queued: number; active: number } {
    return { queued: this.queue.size, active: this.active ? 1 : 0 };
  }

  /** Resolves once the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking work; the job in progress stops at its next checkpoint and resumes at the next start. */
  async close(): Promise<void> {
    this.stopping = true;
    this.closing.abort('close' satisfies StopReason);
    this.active?.stop.abort('close' satisfies StopReason);
    this.ahead.drop();
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
      if (this.queue.size && !this.stopping) this.kick();
    });
  }

  /** Waits while paused; throws Cancelled if the job was cancelled or the queue is closing. */
  private async checkpoint(signal: AbortSignal): Promise<void> {
    if (this.deps.gate.paused && !signal.aborted) {
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        void this.deps.gate.wait().then(resolve);
      });
    }
    if (signal.aborted) {
      const reason = signal.reason as StopReason;
      throw new KbError('Cancelled', reason === 'close' ? 'Indexing stopped; it resumes at the next start.' : 'Cancelled');
    }
  }

  private async drain(): Promise<void> {
    await this.deps.startAfter?.();
    while (this.queue.size && !this.stopping) {
      await this.checkpoint(this.closing.signal).catch(() => {});
      if (this.stopping) break;
      const id = this.queue.values().next().value;
      if (id === undefined) continue;
      this.queue.delete(id);
      let job: JobRecord | undefined;
      try {
        job = await this.deps.relational.getJob(id);
      } catch (err) {
        if (await this.waitOutOutage(id, err)) continue;
        throw err;
      }
      if (!job || FINISHED_JOB_STATES.includes(job.state)) continue;
      const stop = new AbortController();
      this.active = { id: job.id, batchId: job.batchId, stop };
      const ahead = this.ahead.take(job.id, stop.signal);
      this.ahead.drop(); // work read ahead for a job that is not next any more
      try {
        // 'file' and 'reindex' both read an original; a re-index never skips it as unchanged.
        await (job.kind === 'repair'
          ? this.repair(job, stop.signal)
          : job.kind === 'keywords'
            ? this.buildKeywords(job)
            : this.process(job, stop.signal, await ahead));
      } catch (err) {
        if (stop.signal.aborted && stop.signal.reason === 'close') break; // resumes next start
        if (!stop.signal.aborted && (await this.waitOutOutage(job.id, err))) continue;
        try {
          if (stop.signal.aborted) {
            await this.update(job.id, { state: 'cancelled', note: 'cancelled' });
          } else {
            const e = toErrorShape(err);
            await this.update(job.id, { state: 'failed', errorKind: e.kind, errorMessage: e.message });
          }
        } catch (updateErr) {
          // The database went away just now: the job stays unfinished and runs again.
          if (!(await this.waitOutOutage(job.id, updateErr))) throw updateErr;
        }
      } finally {
        this.active = undefined;
      }
    }
  }

  /**
   * A store went away (ProviderUnavailable): the job goes back to the front of the queue,
   * unfailed, and the queue waits until the stores answer; the job then runs again (a re-run
   * replaces whatever the attempt wrote). False for any other error.
   */
  private async waitOutOutage(jobId: string, err: unknown): Promise<boolean> {
    if (toErrorShape(err).kind !== 'ProviderUnavailable') return false;
    this.queue = new Set([jobId, ...this.queue]);
    await this.waitForStores();
    return true;
  }

  private async waitForStores(): Promise<void> {
    const probe = () => Promise.all([this.deps.relational.isAvailable(), this.deps.vector.isAvailable()]);
    try {
      await waitForStores(probe, this.closing.signal, (down) => {
        const changed = down.provider !== this.waitingFor?.provider || down.message !== this.waitingFor?.message;
        this.waitingFor = { provider: down.provider, ...(down.message ? { message: down.message } : {}) };
        if (changed) this.emitStats();
      });
    } finally {
      if (this.waitingFor) {
        this.waitingFor = undefined;
        this.emitStats();
      }
    }
  }

  private async update(id: string, patch: JobUpdate): Promise<JobRecord> {
    const row = await this.deps.relational.updateJob(id, patch);
    this.deps.onProgress(toJobProgress(row));
    if (patch.state && FINISHED_JOB_STATES.includes(patch.state)) {
      this.deps.meter.finished(patch.state !== 'failed');
      this.emitStats();
    }
    return row;
  }

  /**
   * The job's bytes. A source file is read synchronously, as the kept copy is written
   * (`FileStore.put`): every asynchronous file operation waits for a libuv pool thread and then
   * for a turn of this thread, and while 20 clients searched the server the six that stat +
   * readFile take came to ~150 ms a file, nine tenths of indexing time (3 files/s); read here, a
   * typical document takes well under a millisecond.
   */
  private async readBytes(job: JobRecord): Promise<Uint8Array> {
    if (job.storageKey) return this.deps.files.get(job.storageKey);
    return readSourceFile(job.sourcePath as string, job.fileName, maxFileBytes(this.deps.ingestSettings().maxFileSizeMb));
  }

  /**
   * A re-index job works on its document as it is now (a watched file may have been renamed since
   * it was queued): its bytes come from the source file while that exists, else the kept copy.
   */
  private async reindexTarget(job: JobRecord): Promise<{ job: JobRecord; bytes: Uint8Array } | undefined> {
    const doc = job.documentId ? await this.deps.relational.getDocument(job.documentId) : undefined;
    if (!doc) {
      await this.update(job.id, { state: 'skipped', note: 'the document was deleted meanwhile' });
      return undefined;
    }
    const current = { ...job, fileName: doc.name, sourceKey: doc.sourceKey, sourcePath: doc.sourcePath, storageKey: null };
    const sourceExists = doc.sourcePath ? (await stat(doc.sourcePath).catch(() => undefined))?.isFile() === true : false;
    const bytes = sourceExists
      ? await this.readBytes(current)
      : await this.deps.files.get(doc.storageKey).catch(() => {
          const where = doc.sourcePath ? `${doc.sourcePath} no longer exists` : 'it was uploaded';
          throw new KbError('NotFound', `Cannot index ${doc.name} again: ${where} and the copy kept in the data folder is missing. Add the file again.`);
        });
    // The bytes read are kept under their hash (the same key when unchanged).
    return { job: { ...current, storageKey: this.deps.files.put(bytes) }, bytes };
  }

  /**
   * Reads and parses the next queued file job while the current one is embedded (see ReadAhead).
   * Only what depends on the file alone is done ahead; whether it is unchanged, and everything
   * written, is decided again in its turn. A file that cannot be read is left to its turn.
   */
  private async readAheadNext(): Promise<void> {
    const next = this.queue.values().next().value;
    if (next === undefined || this.ahead.id === next || this.stopping) return;
    const job = await this.deps.relational.getJob(next).catch(() => undefined);
    if (job?.kind !== 'file' || FINISHED_JOB_STATES.includes(job.state) || !this.queue.has(next) || this.stopping) return;
    if (!mimeTypeFor(job.fileName)) return;
    this.ahead.start(next, async (signal) => {
      const bytes = await this.readBytes(job).catch(() => undefined);
      if (!bytes?.byteLength) return undefined;
      const contentHash = sha256(bytes);
      const existing = await this.deps.relational.findDocumentBySource(job.userId, job.sourceKey).catch(() => undefined);
      if (existing?.contentHash === contentHash) return { bytes, contentHash };
      const parsed = this.parseFile(bytes, job.fileName, signal);
      parsed.catch(() => {}); // its failure is the job's, thrown in its turn
      return { bytes, contentHash, parsed };
    });
  }

  /** A file's text and structure (in the parse worker) and its chunks, held to the chunk bound. */
  private async parseFile(bytes: Uint8Array, fileName: string, signal: AbortSignal): Promise<ParsedFile> {
    const { text, headings, pages } = await this.deps.parse(bytes, fileName, signal);
    const outline = { ...(headings ? { headings } : {}), ...(pages ? { pages } : {}) };
    // A file being added is held to the chunk bound; repairs re-chunk what was already admitted.
    const chunks = await this.chunk(text, outline, { fileName, maxChunks: maxChunksFor(bytes.byteLength) });
    if (chunks.length === 0) throw new KbError('UnsupportedFile', `${fileName} has no text to index.`);
    return { text, outline, chunks };
  }

  private async process(queued: JobRecord, signal: AbortSignal, ahead?: FileAhead): Promise<void> {
    const { relational, files } = this.deps;
    await this.update(queued.id, { state: 'parsing' });
    const force = queued.kind === 'reindex';
    const target = force ? await this.reindexTarget(queued) : { job: queued, bytes: undefined };
    if (!target) return;
    const { job } = target;
    const mimeType = mimeTypeFor(job.fileName);
    if (!mimeType) {
      throw new KbError('UnsupportedFile', `${job.fileName}: this file type is not supported yet (qckstrt reads ${READABLE}).`);
    }
    const bytes = target.bytes ?? ahead?.bytes ?? (await this.readBytes(job));
    if (bytes.byteLength === 0) throw new KbError('UnsupportedFile', `${job.fileName} is empty: there is nothing to index.`);
    const contentHash = bytes === ahead?.bytes ? ahead.contentHash : sha256(bytes);
    const existing = force ? await relational.getDocument(job.documentId as string) : await relational.findDocumentBySource(job.userId, job.sourceKey);
    const ownAttempt = existing !== undefined && existing.id === job.documentId && existing.updatedAt >= job.createdAt;
    // A re-index runs even when unchanged, unless its own attempt stored the document already.
    if (existing && existing.contentHash === contentHash && (!force || ownAttempt)) {
      if (ownAttempt) {
        // This job's own attempt stored the document (row, keywords and vectors) before the app
        // stopped, just short of marking itself done.
        await this.update(job.id, { state: 'done', chunksTotal: existing.chunkCount, chunksDone: existing.chunkCount });
      } else {
        await this.update(job.id, { state: 'skipped', documentId: existing.id, note: 'unchanged since it was last indexed' });
      }
      return;
    }
    const { text, outline, chunks } = await (ahead?.parsed ?? this.parseFile(bytes, job.fileName, signal));
    await this.checkpoint(signal);
    const storageKey = job.storageKey ?? files.put(bytes);
    // The document id is fixed before any vector is written, so a re-run after a crash replaces
    // the partial vectors of the first attempt instead of orphaning them.
    const documentId = existing?.id ?? job.documentId ?? randomUUID();
    await this.update(job.id, { state: 'embedding', documentId, chunksTotal: chunks.length, chunksDone: 0, storageKey });
    void this.readAheadNext().catch(() => {});
    const embeddings = await this.embedChunks(job.id, chunks, signal);

    const now = new Date().toISOString();
    const record: DocumentRecord = {
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
    await this.store(job, record, text, outline, chunks, embeddings);
  }

  /** The indexed document a repair or keywords job works on, or undefined (job skipped) when it is gone. */
  private async storedDocument(job: JobRecord): Promise<{ doc: DocumentRecord; text: string; outline: ParsedDocumentOutline } | undefined> {
    const { relational } = this.deps;
    const doc = job.documentId ? await relational.getDocument(job.documentId) : undefined;
    const text = doc && (await relational.getDocumentContent(doc.id));
    if (!doc || text === undefined) {
      await this.update(job.id, { state: 'skipped', note: 'the document was deleted meanwhile' });
      return undefined;
    }
    return { doc, text, outline: (await relational.getDocumentOutline(doc.id)) ?? {} };
  }

  /** Re-embeds an indexed document from its stored text and outline (no file is read). */
  private async repair(job: JobRecord, signal: AbortSignal): Promise<void> {
    const stored = await this.storedDocument(job);
    if (!stored) return;
    const { doc, text, outline } = stored;
    const chunks = await this.chunk(text, outline);
    await this.update(job.id, { state: 'embedding', chunksTotal: chunks.length, chunksDone: 0 });
    const embeddings = await this.embedChunks(job.id, chunks, signal);
    await this.store(job, { ...doc, chunkCount: chunks.length }, text, outline, chunks, embeddings);
  }

  /**
   * Writes a document's keyword entries from its stored text, chunked as its vectors were (the
   * same function, settings and tokenizer), with no embedding; the row's chunk count follows, so
   * a model change that re-chunked the vectors is matched here. One relational transaction.
   */
  private async buildKeywords(job: JobRecord): Promise<void> {
    const stored = await this.storedDocument(job);
    if (!stored) return;
    const { doc, text, outline } = stored;
    await this.update(job.id, { state: 'storing' });
    const chunks = await this.chunk(text, outline);
    await this.deps.relational.saveDocument({ ...doc, chunkCount: chunks.length }, text, outline, toKeywordChunks(chunks));
    await this.update(job.id, { state: 'done', chunksTotal: chunks.length, chunksDone: chunks.length });
    this.deps.onDocumentsChanged();
  }

  private async chunk(text: string, outline: ParsedDocumentOutline, limit?: ChunkLimit): Promise<LocatedChunk[]> {
    return chunkDocument(text, outline, chunkOptions(this.deps.ingestSettings()), await this.deps.tokenBudget(), limit);
  }

  private async embedChunks(jobId: string, chunks: LocatedChunk[], signal: AbortSignal): Promise<Float32Array[]> {
    const embeddings: Float32Array[] = [];
    for (let i = 0; i < chunks.length; i += EMBED_STEP) {
      await this.checkpoint(signal);
      const step = await this.deps.embed(chunks.slice(i, i + EMBED_STEP).map((c) => c.text), signal);
      embeddings.push(...step);
      this.deps.meter.embedded(step.length, embeddings.length, chunks.length);
      await this.update(jobId, { chunksDone: embeddings.length });
      this.emitStats();
    }
    await this.checkpoint(signal);
    return embeddings;
  }

  /** Writes the vectors and the row together (one transaction where the stores share a database). */
  private async store(
    job: JobRecord,
    record: DocumentRecord,
    text: string,
    outline: ParsedDocumentOutline,
    chunks: LocatedChunk[],
    embeddings: Float32Array[],
  ): Promise<void> {
    await this.update(job.id, { state: 'storing' });
    const vectors = toChunkVectors(record.id, chunks, embeddings);
    await this.deps.transaction(async () => {
      await this.deps.vector.upsert(job.userId, record.id, vectors);
      await this.deps.relational.saveDocument(record, text, outline, toKeywordChunks(chunks));
    });
    await this.update(job.id, { state: 'done' });
    this.deps.onDocumentsChanged();
  }
}

/** Reads a regular file of at most `maxBytes` (checked on the open file, so a swap after the check cannot slip past it). */
function readSourceFile(path: string, fileName: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    // Non-blocking: opening a named pipe would otherwise wait for a writer (it is refused below).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    if (code === 'EISDIR') throw new KbError('UnsupportedFile', `${fileName} is not a regular file.`); // Windows
    throw new KbError('NotFound', `Cannot read ${path}: ${code === 'ENOENT' ? 'it no longer exists' : message}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new KbError('UnsupportedFile', `${fileName} is not a regular file.`);
    if (info.size > maxBytes) throw fileTooLarge(fileName, info.size, maxBytes);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
