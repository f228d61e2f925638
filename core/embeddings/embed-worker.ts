/**
 * The embedding worker thread: loads the model once and answers embed requests, so the
 * process that hosts the UI or the server never runs a forward pass on its own event loop.
 */
import { parentPort } from 'node:worker_threads';
import { KbError } from '../api/errors';
import type { FromWorker, ToWorker } from './protocol';
import { loadTransformersModel, type LoadedModel } from './transformersModel';

if (!parentPort) throw new Error('embed-worker must run in a worker thread');
const port = parentPort;
let model: Promise<LoadedModel> | undefined;

const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const errorOf = (err: unknown) => ({
  kind: err instanceof KbError ? err.kind : 'Internal',
  message: err instanceof Error ? err.message : String(err),
});

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'init') {
    model = loadTransformersModel(msg);
    try {
      const m = await model;
      send({ type: 'ready', dimensions: m.dimensions, maxTokens: m.maxTokens });
    } catch (err) {
      send({ type: 'error', ...errorOf(err) });
    }
    return;
  }
  try {
    if (!model) throw new KbError('ModelUnavailable', 'The embedding model has not been loaded');
    const { dimensions, data } = await (await model).embed(msg.texts);
    // Copy into a buffer we own so it can be transferred instead of cloned.
    const out = new Float32Array(data);
    send({ type: 'result', id: msg.id, dimensions, data: out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'error', id: msg.id, ...errorOf(err) });
  }
});
