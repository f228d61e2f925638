/**
 * The embedding worker thread: loads the model once and answers embed requests, so the
 * process that hosts the UI or the server never runs a forward pass on its own event loop.
 * Requests queue here and run one at a time (a forward pass already uses every core), which is
 * what lets the host cancel the ones that have not started.
 */
import { parentPort } from 'node:worker_threads';
import { KbError } from '../api/errors';
import type { FromWorker, ToWorker, WorkerEmbed } from './protocol';
import { loadTransformersModel, type LoadedModel } from './transformersModel';

if (!parentPort) throw new Error('embed-worker must run in a worker thread');
const port = parentPort;
let model: Promise<LoadedModel> | undefined;
const queue: WorkerEmbed[] = [];
let running: Promise<void> | undefined;

const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const errorOf = (err: unknown) => ({
  kind: err instanceof KbError ? err.kind : 'Internal',
  message: err instanceof Error ? err.message : String(err),
});

async function embedOne(msg: WorkerEmbed): Promise<void> {
  try {
    if (!model) throw new KbError('ModelUnavailable', 'The embedding model has not been loaded');
    const { dimensions, data } = await (await model).embed(msg.texts);
    // Copy into a buffer we own so it can be transferred instead of cloned.
    const out = new Float32Array(data);
    send({ type: 'result', id: msg.id, dimensions, data: out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'error', id: msg.id, ...errorOf(err) });
  }
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lets messages that arrived during a batch (tokenizing and pooling block this thread) be handled.
 * Messages are delivered in the event loop's poll phase; one setImmediate after a batch that ended
 * in that phase runs before the next poll, so it takes two to be sure one poll came in between.
 */
async function yieldToMessages(): Promise<void> {
  await immediate();
  await immediate();
}

function drain(): void {
  running ??= (async () => {
    // Yield before each batch so a cancel that came in meanwhile drops it before it starts.
    while ((await yieldToMessages(), queue.length > 0)) {
      const next = queue.shift();
      if (next) await embedOne(next);
    }
  })().finally(() => {
    running = undefined;
  });
}

/** Drops what is queued, lets the running batch finish, releases the model, and ends the thread. */
async function close(): Promise<void> {
  queue.length = 0;
  await running;
  try {
    await (await model)?.dispose();
  } catch {
    // A model that failed to load has nothing to release.
  }
  process.exit(0); // in a worker thread this ends the thread, not the process
}

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'init') {
    model = loadTransformersModel(msg);
    try {
      const m = await model;
      send({ type: 'ready', dimensions: m.dimensions, maxTokens: m.maxTokens });
    } catch (err) {
      send({ type: 'error', ...errorOf(err) });
    }
  } else if (msg.type === 'count') {
    try {
      if (!model) throw new KbError('ModelUnavailable', 'The embedding model has not been loaded');
      send({ type: 'counts', id: msg.id, counts: (await model).countTokens(msg.texts) });
    } catch (err) {
      send({ type: 'error', id: msg.id, ...errorOf(err) });
    }
  } else if (msg.type === 'close') {
    await close();
  } else if (msg.type === 'cancel') {
    const ids = new Set(msg.ids);
    for (let i = queue.length - 1; i >= 0; i--) if (ids.has(queue[i]?.id ?? -1)) queue.splice(i, 1);
  } else {
    queue.push(msg);
    drain();
  }
});
