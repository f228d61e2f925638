/**
 * Searches under indexing on the headless server (core/server/httpServer.ts startServer on a
 * real service): a fresh library indexes a folder for a fixed window while 20 clients search
 * over HTTP without pause (from a worker thread, so the client does not share the service's
 * event loop); failures and latency are counted. The same window without searches, on another
 * fresh library, says how much indexing the searches cost: the fairness ratio is chunks indexed
 * with searches ÷ without. Alternated `repeats` times; medians.
 */
import { Worker } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../core/server/httpServer';
import { startTestService } from '../../test/helpers/service';
import { tempDir } from '../../test/helpers/tempDir';
import { JobTimeline } from '../shared/ingestPass';
import { median, percentile, sleep } from '../shared/stats';

export const CLIENTS = 20;

/** Plain JavaScript for the worker: CLIENTS loops of POST /api/search until the window closes. */
const CLIENT_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, token, clients, ms, queries } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const end = Date.now() + ms;
const times = [];
let failures = 0;
const errors = {};
function once(query) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/search', method: 'POST', agent,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        let ok = res.statusCode === 200;
        try { ok = ok && JSON.parse(body).ok !== false; } catch { ok = false; }
        if (ok) times.push(performance.now() - started);
        else { failures++; const k = 'HTTP ' + res.statusCode; errors[k] = (errors[k] || 0) + 1; }
        resolve();
      });
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { failures++; errors[e.message] = (errors[e.message] || 0) + 1; resolve(); });
    req.end(JSON.stringify({ query, k: 10, mode: 'hybrid' }));
  });
}
async function client(i) {
  let n = i;
  while (Date.now() < end) await once(queries[n++ % queries.length]);
}
Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(() => {
  agent.destroy();
  parentPort.postMessage({ times, failures, errors });
});
`;

interface ClientResult {
  times: number[];
  failures: number;
  errors: Record<string, number>;
}

export interface LoadRun {
  chunksWithout: number;
  chunksWith: number;
  searches: number;
  failures: number;
  errors: Record<string, number>;
  p50: number;
  p95: number;
}

export interface LoadFigures {
  runs: LoadRun[];
  failures: number;
  p50: number;
  p95: number;
  fairness: number;
  windowMs: number;
}

const QUERIES = ['training plan', 'bread dough', 'chord progression', 'sea level rise', 'formation tactics', 'budget report', 'garden soil', 'network latency'];

/** Indexes `root` on a fresh library for `windowMs` (with or without searches) and counts the chunks embedded. */
async function window(root: string, windowMs: number, withSearches: boolean, staticDir: string) {
  const kb = await startTestService();
  const server = await startServer({ service: kb.service, staticDir, port: 0 });
  try {
    await kb.service.modelReady();
    await kb.service.search({ query: 'warm up the model', k: 1 });
    const timeline = new JobTimeline();
    const off = kb.service.on('ingestProgress', (p) => timeline.record(p));
    const accepted = await kb.service.ingestFiles({ paths: [root] });
    const ids = accepted.jobs.map((j) => j.jobId);
    let clients: ClientResult | undefined;
    if (withSearches) {
      const worker = new Worker(CLIENT_SCRIPT, { eval: true, workerData: { port: server.port, token: server.token, clients: CLIENTS, ms: windowMs, queries: QUERIES } });
      clients = await new Promise<ClientResult>((resolve, reject) => {
        worker.once('message', (m: ClientResult) => resolve(m));
        worker.once('error', reject);
      });
      await worker.terminate();
    } else {
      await sleep(windowMs);
    }
    const chunks = timeline.chunksDone(ids);
    off();
    return { chunks, clients };
  } finally {
    await server.close();
    await kb.dispose();
  }
}

export async function measureLoad(root: string, windowMs: number, repeats: number): Promise<LoadFigures> {
  const web = tempDir('qckstrt-bench-web-');
  mkdirSync(web.path, { recursive: true });
  writeFileSync(join(web.path, 'index.html'), '<!doctype html><title>qckstrt bench</title>');
  const runs: LoadRun[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const without = await window(root, windowMs, false, web.path);
      const withLoad = await window(root, windowMs, true, web.path);
      const c = withLoad.clients ?? { times: [], failures: 0, errors: {} };
      runs.push({
        chunksWithout: without.chunks,
        chunksWith: withLoad.chunks,
        searches: c.times.length,
        failures: c.failures,
        errors: c.errors,
        p50: percentile(c.times, 50),
        p95: percentile(c.times, 95),
      });
    }
  } finally {
    web.cleanup();
  }
  return {
    runs,
    failures: runs.reduce((n, r) => n + r.failures, 0),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    fairness: median(runs.map((r) => r.chunksWith / Math.max(1, r.chunksWithout))),
    windowMs,
  };
}
