/**
 * Start-up of the headless server as `npm run serve` starts it (`node out/main/server.js`, built
 * by `npm run bench` first, as the desktop app runs its built main bundle) on a data folder with
 * QCKSTRT_PORT=0, timed from spawn to (1) getStatus answering, (2) a hybrid search answering
 * (model loaded, vector store connected) and (3) reconcileStores answering — it waits for the
 * start-up reconciliation and then checks once more, so (3) is an upper bound of "reconciliation
 * done". Then RSS at rest: the server process and its children, sampled a few times after it
 * has been idle for a moment. Stopped by its PID.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeRss } from '../shared/processTree';
import { median, sleep } from '../shared/stats';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GIVE_UP_MS = 120_000;

export interface StartupRun {
  statusMs: number;
  searchMs: number;
  reconciledMs: number;
  restRss: number;
}

export interface StartupFigures {
  runs: StartupRun[];
  statusMs: number;
  searchMs: number;
  reconciledMs: number;
  restRss: number;
}

function post(port: number, token: string, method: string, body: unknown): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/api/${method}`, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(JSON.stringify(body));
  });
}

async function until(ok: () => Promise<boolean>, started: number): Promise<number> {
  while (!(await ok())) {
    if (performance.now() - started > GIVE_UP_MS) throw new Error('the server did not answer in time');
    await sleep(10);
  }
  return performance.now() - started;
}

async function startOnce(dataDir: string, restWaitMs: number): Promise<StartupRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['out/main/server.js'], {
    cwd: repoRoot,
    env: { ...process.env, QCKSTRT_DATA_DIR: dataDir, QCKSTRT_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let url: URL | undefined;
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`the server exited: ${output.trim()}`);
      const m = /Open: (\S+)/.exec(output);
      if (m?.[1]) url = new URL(m[1]);
      return url !== undefined;
    }, started);
    const port = Number(url?.port);
    const token = url?.searchParams.get('token') ?? '';
    const statusMs = await until(async () => (await post(port, token, 'getStatus', {})) === 200, started);
    const searchMs = await until(async () => (await post(port, token, 'search', { query: 'start', k: 10, mode: 'hybrid' })) === 200, started);
    const reconciledMs = await until(async () => (await post(port, token, 'reconcileStores', {})) === 200, started);
    await sleep(restWaitMs);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(child.pid ? treeRss(child.pid) : 0);
      await sleep(200);
    }
    return { statusMs, searchMs, reconciledMs, restRss: median(samples) };
  } finally {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }
}

export async function measureStartup(dataDir: string, repeats: number, restWaitMs = 2000): Promise<StartupFigures> {
  const runs: StartupRun[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await startOnce(dataDir, restWaitMs));
  return {
    runs,
    statusMs: median(runs.map((r) => r.statusMs)),
    searchMs: median(runs.map((r) => r.searchMs)),
    reconciledMs: median(runs.map((r) => r.reconciledMs)),
    restRss: median(runs.map((r) => r.restRss)),
  };
}
