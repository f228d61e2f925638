// Runs a TypeScript worker from source (CLI, headless server, tests): Node 20 does not apply
// `--import tsx` inside worker threads, so register tsx here, then load the real worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
