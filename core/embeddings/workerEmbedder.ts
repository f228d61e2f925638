import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KbError, isErrorKind } from '../api/errors';
import type { EmbeddingStatus, ProviderHealth } from '../api/types';
import type { ModelLocation } from './modelLocation';
import type { FromWorker, ToWorker } from './protocol';
import type { EmbeddingProvider } from './types';

/** Texts per forward pass; larger batches pad more and gain little on a laptop CPU. */
export const EMBED_BATCH_SIZE = 32;

interface Pending {
  texts: string[];
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
  retried: boolean;
}

export interface WorkerEmbedderOptions {
  location: ModelLocation;
  cacheDir: string;
  allowDownload: boolean;
  /** Registry values used until the model reports its own. */
  expectedDimensions: number;
  maxTokens: number;
  /** Worker script; defaults to the TypeScript source beside this file (run through tsx). */
  workerPath?: string;
}

/** Starts the worker script; a `.ts` source goes through a bootstrap that registers tsx. */
function spawnWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path);
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), {
    workerData: { tsEntry: pathToFileURL(path).href },
  });
}

/**
 * An EmbeddingProvider whose model runs in a worker thread. Requests queue up and go to the
 * worker one batch at a time; if the worker dies, it is restarted and the batch retried once.
 */
export class WorkerEmbedder implements EmbeddingProvider {
  readonly modelId: string;
  dimensions: number;
  maxTokens: number;
  private worker: Worker | undefined;
  private loading: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private loadError: KbError | undefined;
  private loaded = false;
  private closed = false;

  constructor(private readonly opts: WorkerEmbedderOptions) {
    this.modelId = opts.location.modelId;
    this.dimensions = opts.expectedDimensions;
    this.maxTokens = opts.maxTokens;
  }

  ready(): Promise<void> {
    this.loading ??= this.start();
    return this.loading;
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
        cacheDir: this.opts.cacheDir,
        allowDownload: this.opts.allowDownload,
      };
      worker.postMessage(init);
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
    if (this.closed) return;
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const p of inFlight) {
      if (p.retried) {
        p.reject(new KbError('Internal', `The embedding worker stopped (exit code ${code}) twice on the same batch.`));
      } else {
        this.send(p.texts, true).then(p.resolve, p.reject);
      }
    }
  }

  private async send(texts: string[], retried = false): Promise<Float32Array[]> {
    await this.ready();
    const worker = this.worker;
    if (!worker) throw new KbError('ModelUnavailable', 'The embedding worker is not running');
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { texts, resolve, reject, retried });
      const msg: ToWorker = { type: 'embed', id, texts };
      worker.postMessage(msg);
    });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) throw new KbError('Cancelled', 'The embedding service has shut down');
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH_SIZE) {
      out.push(...(await this.send(texts.slice(i, i + EMBED_BATCH_SIZE))));
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
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

function split(data: Float32Array, dims: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < data.length; i += dims) out.push(data.slice(i, i + dims));
  return out;
}
