import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKbService } from '../../core/service';
import { startApp } from './lifecycle';

/*
 * Main-process entry. The service runs in this process: its database calls are short (indexed
 * reads and small transactions on an embedded SQLite file, or a network round trip to a server),
 * so they do not stall the UI; the heavy part, embedding, runs on a worker thread the core owns
 * (`embedWorkerPath`, the bundled out/main/embed-worker.js), so indexing never blocks the main
 * process's event loop.
 */
startApp({
  createService: createKbService,
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
});
