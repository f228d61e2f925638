import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KbError, isErrorKind } from '../api/errors';
import type { EmbeddingStatus, ProviderHealth } from '../api/types';
import type { ModelLocation } from './modelLocation';
import type { FromWorker, ToWorker } from './protocol';
import type { EmbedOptions, EmbeddingProvider } from './types';

/**
 * How texts are grouped into forward passes: at most EMBED_BATCH_SIZE texts and at most
 * EMBED_BATCH_CHARS characters (~300 tokens) per pass. Measured with `npm run bench:embed` (a
 * MiniLM-L6-sized model, two CPU cores): chunk-sized texts (~230 tokens) ran fastest one per
 * pass, 25.2 chunks/s against 17.3 at 8 and 14.2 at 32, because a batch pads every text to its
 * longest (16–21% of the positions) and larger activations fall out of cache; short texts
 * (~20 tokens) ran best 8 at a time, 195/s against 163/s one by one. The character budget gives
 * each its best: a full chunk goes alone, short texts share a pass (23.5 chunks/s on the
 * benchmark's chunks, against 14.2 with a plain batch of 32).
 */
export const EMBED_BATCH_SIZE = 8;
export const EMBED_BATCH_CHARS = 1500;

/** Batches of one embed() call in the worker at a time (see embed). */
const IN_FLIGHT = 2;

/**
 * Splits `texts` into consecutive batches of at most `maxTexts` texts and `maxChars` characters
 * (a longer text is a batch on its own). Returns each batch's [start, end) indices.
 */
export function planBatches(texts: readonly string[], maxTexts = EMBED_BATCH_SIZE, maxChars = EMBED_BATCH_CHARS): [number, number][] {
  const batches: [number, number][] = [];
  let start = 0;
  let chars = 0;
  texts.forEach((text, i) => {
    if (i > start && (i - start >= maxTexts || chars + text.length > maxChars)) {
      batches.push([start, i]);
      start = i;
      chars = 0;
    }
    chars += text.length;
  });
  if (texts.length > start) batches.push([start, texts.length]);
  return batches;
}

interface Pending {
  texts: string[];
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
  retried: boolean;
  signal: AbortSignal | undefined;
  /** Removes the abort listener (done when the batch settles or is re-sent). */
  detach: () => void;
}

const cancelled = () => new KbError('Cancelled', 'Embedding was cancelled.');

/** Rejects with `Cancelled` as soon as the signal aborts, without waiting for `promise`. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface WorkerEmbedderOptions {
  location: ModelLocation;
  /** Registry values used until the model reports its own. */
  expectedDimensions: number;
  maxTokens: number;
  /** Worker script; defaults to the TypeScript source beside this file (run through tsx). */
  workerPath?: string;
  /** Most texts per forward pass; EMBED_BATCH_SIZE unless set (benchmarks compare sizes). */
  batchSize?: number;
  /** Most characters per forward pass; EMBED_BATCH_CHARS unless set (Infinity: count only). */
  batchChars?: number;
  /** Fetches the model files first (a download the user allowed); the worker then loads them offline. */
  fetchModel?: () => Promise<void>;
}

/** Starts the worker script; a `.ts` source goes through a bootstrap that registers tsx. */
function spawnWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path);
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), {
    workerData: { tsEntry: pathToFileURL(path).href },
  });
}

/**
 * An EmbeddingProvider whose model runs in a worker thread. Requests go to the worker in
 * batches, two of a call at a time; if the worker dies, it is restarted and each batch it held
 * is retried once.
 */
export class WorkerEmbedder implements EmbeddingProvider {
  readonly modelId: string;
  dimensions: number;
  maxTokens: number;
  private worker: Worker | undefined;
  private loading: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly countRequests = new Map<number, { resolve: (counts: number[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private loadError: KbError | undefined;
  private loaded = false;
  private closed = false;
  private readonly batchSize: number;
  private readonly batchChars: number;

  constructor(private readonly opts: WorkerEmbedderOptions) {
    const batchSize = opts.batchSize ?? EMBED_BATCH_SIZE;
    const batchChars = opts.batchChars ?? EMBED_BATCH_CHARS;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new KbError('ValidationError', `Invalid embedding batch size ${batchSize}`);
    if (!(batchChars >= 1)) throw new KbError('ValidationError', `Invalid embedding batch budget ${batchChars} characters`);
    this.batchSize = batchSize;
    this.batchChars = batchChars;
    this.modelId = opts.location.modelId;
    this.dimensions = opts.expectedDimensions;
    this.maxTokens = opts.maxTokens;
  }

  ready(): Promise<void> {
    this.loading ??= this.fetchThenStart();
    return this.loading;
  }

  private async fetchThenStart(): Promise<void> {
    if (this.opts.fetchModel) {
      try {
        await this.opts.fetchModel();
      } catch (err) {
        this.loading = undefined;
        this.loadError = err instanceof KbError ? err : new KbError('ModelUnavailable', (err as Error).message);
        throw this.loadError;
      }
    }
    return this.start();
  }

  private start(): Promise<void> {
    const path = this.opts.workerPath ?? fileURLToPath(new URL('./embed-worker.ts', import.meta.url));
    const worker = spawnWorker(path);
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      const fail = (err: KbError) => {
        this.loadError = err;
        this.loading = undefined;
        reject(err);
      };
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          this.dimensions = msg.dimensions;
          this.maxTokens = Math.min(this.maxTokens, msg.maxTokens);
          this.loadError = undefined;
          this.loaded = true;
          resolve();
        } else if (msg.type === 'result') {
          this.settle(msg.id, (p) => p.resolve(split(msg.data, msg.dimensions)));
        } else if (msg.type === 'counts') {
          this.countRequests.get(msg.id)?.resolve(msg.counts);
          this.countRequests.delete(msg.id);
        } else if (msg.id !== undefined && this.countRequests.has(msg.id)) {
          this.countRequests.get(msg.id)?.reject(new KbError(isErrorKind(msg.kind) ? msg.kind : 'Internal', msg.message));
          this.countRequests.delete(msg.id);
        } else if (msg.id === undefined) {
          fail(new KbError(isErrorKind(msg.kind) ? msg.kind : 'ModelUnavailable', msg.message));
          void worker.terminate();
        } else {
          this.settle(msg.id, (p) => p.reject(new KbError(isErrorKind(msg.kind) ? msg.kind : 'Internal', msg.message)));
        }
      });
      worker.on('error', (err) => fail(new KbError('ModelUnavailable', `The embedding worker failed: ${err.message}`)));
      worker.on('exit', (code) => this.onExit(worker, code));
      const init: ToWorker = {
        type: 'init',
        modelId: this.opts.location.modelId,
        localModelPath: this.opts.location.localModelPath,
      };
      worker.postMessage(init);
    });
  }

  /** Token counts with the model's tokenizer (in the worker, where the tokenizer lives). */
  async countTokens(texts: string[]): Promise<number[]> {
    await this.ready();
    const worker = this.worker;
    if (!worker) throw new KbError('ModelUnavailable', 'The embedding worker is not running');
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      this.countRequests.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'count', id, texts };
      worker.postMessage(msg);
    });
  }

  private settle(id: number, fn: (p: Pending) => void) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    fn(p);
  }

  /** A crash mid-batch restarts the worker and retries each in-flight batch once. */
  private onExit(worker: Worker, code: number) {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.loading = undefined;
    this.loaded = false;
    for (const c of this.countRequests.values()) c.reject(new KbError('Internal', `The embedding worker stopped (exit code ${code}).`));
    this.countRequests.clear();
    if (this.closed) return;
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const p of inFlight) {
      if (p.retried) {
        p.reject(new KbError('Internal', `The embedding worker stopped (exit code ${code}) twice on the same batch.`));
      } else {
        p.detach();
        this.send(p.texts, { retried: true, signal: p.signal }).then(p.resolve, p.reject);
      }
    }
  }

  /**
   * Posts one batch to the worker. If `signal` aborts before the result arrives, the promise
   * rejects with `Cancelled` at once and the worker is told to drop the batch if it has not
   * started it; a batch already running finishes and its result is ignored (`settle` finds no
   * pending entry).
   */
  private async send(texts: string[], opts: { retried?: boolean; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const { retried = false, signal } = opts;
    await abortable(this.ready(), signal);
    const worker = this.worker;
    if (!worker) throw new KbError('ModelUnavailable', 'The embedding worker is not running');
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        const cancel: ToWorker = { type: 'cancel', ids: [id] };
        worker.postMessage(cancel);
        reject(cancelled());
      };
      const detach = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        texts,
        retried,
        signal,
        detach,
        resolve: (v) => {
          detach();
          resolve(v);
        },
        reject: (e) => {
          detach();
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const msg: ToWorker = { type: 'embed', id, texts };
      worker.postMessage(msg);
    });
  }

  /**
   * Embeds in batches (see `planBatches`), two of this call's batches in the worker at a time:
   * the next one waits there while this thread takes the last answer, so the worker does not
   * idle for that round trip (raw embedding with the bundled model: +20%), and other callers'
   * batches (a search's query) still interleave with a long indexing run, waiting behind at most
   * two. With `options.signal`, aborting drops the batches not yet sent.
   */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.closed) throw new KbError('Cancelled', 'The embedding service has shut down');
    const batches = planBatches(texts, this.batchSize, this.batchChars);
    const sent: Promise<Float32Array[]>[] = [];
    const out: Float32Array[] = [];
    for (let i = 0; i < batches.length; i++) {
      while (sent.length < Math.min(batches.length, i + IN_FLIGHT)) {
        if (options.signal?.aborted) throw cancelled();
        const [start, end] = batches[sent.length] as [number, number];
        const result = this.send(texts.slice(start, end), { signal: options.signal });
        result.catch(() => {}); // awaited in order below
        sent.push(result);
      }
      out.push(...(await (sent[i] as Promise<Float32Array[]>)));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.send([text]);
    if (!v) throw new KbError('Internal', 'The model returned no vector');
    return v;
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    try {
      await this.ready();
      return { provider: 'transformers', available: true, latencyMs: performance.now() - start, message: this.modelId };
    } catch (err) {
      return { provider: 'transformers', available: false, latencyMs: performance.now() - start, message: (err as Error).message };
    }
  }

  status(): EmbeddingStatus {
    return {
      modelId: this.modelId,
      dimensions: this.dimensions,
      source: `${this.opts.location.source}: ${this.opts.location.localModelPath}`,
      ready: this.loaded,
      message: this.loadError?.message,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new KbError('Cancelled', 'The embedding service has shut down'));
    this.pending.clear();
    for (const c of this.countRequests.values()) c.reject(new KbError('Cancelled', 'The embedding service has shut down'));
    this.countRequests.clear();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await stopWorker(worker);
  }
}

/** How long a closing worker may take to finish its batch and release the model before it is terminated. */
const CLOSE_GRACE_MS = 15_000;

/**
 * Asks the worker to finish its batch, release the model and exit; terminates it only if it has
 * not exited within `CLOSE_GRACE_MS` (terminating mid forward pass can abort the process).
 */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate().finally(resolve), CLOSE_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    const msg: ToWorker = { type: 'close' };
    worker.postMessage(msg);
  });
}

function split(data: Float32Array, dims: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < data.length; i += dims) out.push(data.slice(i, i + dims));
  return out;
}
