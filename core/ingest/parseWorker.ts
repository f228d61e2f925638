import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KbError, isErrorKind, type KbErrorShape } from '../api/errors';
import type { ParsedDocument } from './parsers';

/** Host → worker: parse one file. `bytes`' buffer is in the transfer list (moved, not copied). */
export interface ParseRequest {
  id: number;
  fileName: string;
  bytes: Uint8Array;
}

/** Worker → host: started, or the outcome of one request. */
export type ParseReply =
  | { type: 'ready' }
  | { type: 'parsed'; id: number; doc: ParsedDocument }
  | { type: 'failed'; id: number; error: KbErrorShape };

export const PARSE_DEFAULTS = {
  /** V8 old-generation heap of the worker: a file that needs more fails alone. */
  maxOldGenerationSizeMb: 1024,
  /** Longest one file may take in the worker (a new worker's start-up is not counted). */
  timeoutMs: 120_000,
  /**
   * An idle worker stops after this long, giving its memory back (~150 MB once pdf.js has run,
   * measured on the ingest benchmark's corpus); the next file starts a new one (~0.2 s).
   */
  idleMs: 30_000,
};

export interface ParseWorkerOptions {
  /** Worker script; defaults to the TypeScript source beside this file (run through tsx). */
  workerPath?: string;
  maxOldGenerationSizeMb?: number;
  timeoutMs?: number;
  idleMs?: number;
}

export interface ParseOptions {
  /** Aborting drops a queued file, or stops the worker mid-file (the next file gets a new one). */
  signal?: AbortSignal;
  /**
   * true: `bytes`' buffer is moved to the worker, not copied, and is detached here (byteLength 0)
   * once the file is sent, so the caller must be done with it (a view on part of a larger buffer
   * is copied instead). false, the default, as parseDocument leaves its input alone: one copy is
   * moved, `bytes` stay usable.
   */
  transfer?: boolean;
}

interface Job {
  bytes: Uint8Array;
  fileName: string;
  transfer: boolean;
  signal: AbortSignal | undefined;
  resolve: (doc: ParsedDocument) => void;
  reject: (err: Error) => void;
  onAbort: () => void;
}

interface Running {
  worker: Worker;
  started: boolean;
  /** What the worker reported before exiting (ERR_WORKER_OUT_OF_MEMORY, an uncaught error). */
  error?: Error & { code?: string };
}

/** Starts the worker script; a `.ts` source goes through the bootstrap that registers tsx. */
function spawnWorker(path: string, maxOldGenerationSizeMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  if (!path.endsWith('.ts')) return new Worker(path, { resourceLimits });
  return new Worker(new URL('../embeddings/ts-worker-bootstrap.mjs', import.meta.url), {
    workerData: { tsEntry: pathToFileURL(path).href },
    resourceLimits,
  });
}

/** Bytes to send: the caller's own buffer when it may be moved whole, else a copy of the view. */
function owned(bytes: Uint8Array, transfer: boolean): Uint8Array {
  const whole =
    bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // Uint8Array's slice, which copies: a Buffer's own slice() is a view on the same memory, so
  // moving its buffer would empty the caller's bytes (readFile gives a Buffer).
  return transfer && whole ? bytes : Uint8Array.prototype.slice.call(bytes);
}

/**
 * parseDocument in a worker thread with a heap limit and a per-file timeout. Files go to the
 * worker one at a time (so a failure is that file's alone); the worker is started on the first
 * file and reused, and stopped once idle for idleMs (its memory goes back to the system; pdf.js
 * alone grows a worker's heap by ~100 MB). When it runs out of memory, crashes or overruns the timeout, that file fails
 * with UnsupportedFile and the next file gets a fresh worker.
 *
 * The heap limit is V8's and best effort: most runaway parses (many objects, long strings) end
 * the worker with ERR_WORKER_OUT_OF_MEMORY, but one allocation far past the limit (a single array
 * of millions of elements, as JSON.parse of a huge flat array makes) can make V8 abort the whole
 * process (nodejs/node#47224). Seen with 32–64 MB heaps; at the default 1 GB, flat JSON arrays of
 * 216 and 441 MB failed cleanly (and 50 MB parsed). Only a child process would bound it fully.
 */
export class ParseWorker {
  private running: Running | undefined;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;
  private readonly path: string;
  private readonly maxOldGenerationSizeMb: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(opts: ParseWorkerOptions = {}) {
    this.path = opts.workerPath ?? fileURLToPath(new URL('./parse-worker.ts', import.meta.url));
    this.maxOldGenerationSizeMb = opts.maxOldGenerationSizeMb ?? PARSE_DEFAULTS.maxOldGenerationSizeMb;
    this.timeoutMs = opts.timeoutMs ?? PARSE_DEFAULTS.timeoutMs;
    this.idleMs = opts.idleMs ?? PARSE_DEFAULTS.idleMs;
    if (!(this.maxOldGenerationSizeMb > 0)) {
      throw new KbError('ValidationError', `Invalid parser heap limit ${this.maxOldGenerationSizeMb} MB`);
    }
    if (!(this.timeoutMs > 0)) throw new KbError('ValidationError', `Invalid parse timeout ${this.timeoutMs} ms`);
    if (!(this.idleMs > 0)) throw new KbError('ValidationError', `Invalid parser idle time ${this.idleMs} ms`);
  }

  /** Same result and errors as parseDocument(bytes, fileName), computed in the worker. */
  parse(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Promise<ParsedDocument> {
    const { signal, transfer = false } = options;
    if (this.closed) return Promise.reject(new KbError('Cancelled', 'The parser has shut down.'));
    if (signal?.aborted) return Promise.reject(cancelled(fileName));
    return new Promise<ParsedDocument>((resolve, reject) => {
      const job: Job = {
        bytes,
        fileName,
        transfer,
        signal,
        resolve,
        reject,
        onAbort: () => this.abort(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Rejects every waiting file and stops the worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleStop();
    const shutDown = new KbError('Cancelled', 'The parser has shut down.');
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(shutDown));
    if (this.current) this.finishCurrent((job) => job.reject(shutDown));
    await this.stopWorker();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(cancelled(job.fileName)));
    } else if (this.current?.job === job) {
      // The worker may be deep in a synchronous step: stopping it is the only way to stop it.
      this.finishCurrent((j) => j.reject(cancelled(j.fileName)));
      void this.stopWorker();
      this.pump();
    }
  }

  /** Sends the next file when the worker is free. */
  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      this.running?.worker.unref(); // an idle worker does not keep the process alive
      this.scheduleIdleStop();
      return;
    }
    this.cancelIdleStop();
    const running = this.ensureWorker();
    running.worker.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => this.onTimeout(id), this.timeoutMs);
    timer.unref();
    this.current = { id, job, timer };
    try {
      const bytes = owned(job.bytes, job.transfer);
      const request: ParseRequest = { id, fileName: job.fileName, bytes };
      running.worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      // e.g. bytes whose buffer was already transferred elsewhere (DataCloneError)
      const reason = err instanceof Error ? err.message : String(err);
      this.finishCurrent((j) => j.reject(new KbError('Internal', `${j.fileName} could not be sent to the parser: ${reason}`)));
      this.pump();
    }
  }

  /** Stops the worker once it has had nothing to do for idleMs. */
  private scheduleIdleStop(): void {
    if (!this.running || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.current && this.queue.length === 0) void this.stopWorker();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private ensureWorker(): Running {
    if (this.running) return this.running;
    const running: Running = { worker: spawnWorker(this.path, this.maxOldGenerationSizeMb), started: false };
    this.running = running;
    running.worker.on('message', (msg: ParseReply) => {
      if (msg.type === 'ready') {
        running.started = true;
        // The file's time starts once the worker has loaded, not while it loads.
        if (this.running === running) this.current?.timer.refresh();
      } else if (this.current?.id === msg.id) {
        if (msg.type === 'parsed') {
          const doc = msg.doc;
          this.finishCurrent((job) => job.resolve(doc));
        } else {
          const { kind, message } = msg.error;
          this.finishCurrent((job) => job.reject(new KbError(isErrorKind(kind) ? kind : 'Internal', message)));
        }
        this.pump();
      }
    });
    running.worker.on('error', (err) => {
      running.error = err;
    });
    running.worker.on('exit', (code) => this.onExit(running, code));
    return running;
  }

  private onTimeout(id: number): void {
    if (this.current?.id !== id) return;
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    this.finishCurrent((job) =>
      job.reject(new KbError('UnsupportedFile', `${job.fileName}: reading it took longer than ${seconds} s, so it was skipped.`)),
    );
    void this.stopWorker();
    this.pump();
  }

  /** The worker died on its own: the file it held fails, the next one gets a new worker. */
  private onExit(running: Running, code: number): void {
    if (this.running !== running) return; // stopped on purpose
    this.running = undefined;
    if (this.current) {
      const err = running.error;
      this.finishCurrent((job) => {
        if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          job.reject(
            new KbError(
              'UnsupportedFile',
              `${job.fileName}: reading it ran out of memory (the parser may use ${this.maxOldGenerationSizeMb} MB), so it was skipped.`,
            ),
          );
        } else if (!running.started) {
          // Not this file's fault: the worker script itself did not load.
          job.reject(new KbError('Internal', `The parse worker did not start: ${err?.message ?? `exit code ${code}`}`));
        } else {
          const why = err ? `failed: ${err.message}` : `stopped (exit code ${code})`;
          job.reject(new KbError('UnsupportedFile', `${job.fileName}: the parser ${why}, so it was skipped.`));
        }
      });
    }
    this.pump();
  }

  private finishCurrent(fn: (job: Job) => void): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    this.settle(current.job, () => fn(current.job));
  }

  private settle(job: Job, fn: () => void): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    fn();
  }

  private async stopWorker(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.worker.terminate();
  }
}

const cancelled = (fileName: string) => new KbError('Cancelled', `Reading ${fileName} was cancelled.`);
