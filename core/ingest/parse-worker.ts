/**
 * The parse worker thread: runs parseDocument on files the host sends, one at a time, so a large
 * or hostile file costs this thread's time and heap (bounded by the host's resourceLimits and
 * timeout), never the event loop of the process that hosts the UI or the server.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorShape } from '../api/errors';
import { parseDocument } from './parsers';
import type { ParseReply, ParseRequest } from './parseWorker';

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
const send = (msg: ParseReply) => port.postMessage(msg);

port.on('message', async (msg: ParseRequest) => {
  try {
    send({ type: 'parsed', id: msg.id, doc: await parseDocument(msg.bytes, msg.fileName) });
  } catch (err) {
    send({ type: 'failed', id: msg.id, error: toErrorShape(err) });
  }
});
send({ type: 'ready' });
