import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exited, signal, waitForExit } from './childProcess';
import { freePort } from './freePort';

/** A real ChromaDB server (the `chromadb` npm package's CLI) on 127.0.0.1, for tests. */
export interface ChromaService {
  readonly url: string;
  readonly port: number;
  /** PID of the running server process (changes after `start()`); undefined while stopped. */
  readonly pid: number | undefined;
  readonly dataDir: string;
  /** Milliseconds the last (re)start took, spawn to first good heartbeat. */
  readonly startMs: number;
  /** Kills the server by PID (SIGTERM, SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>;
  /** Stops it and removes the data dir. */
  dispose(): Promise<void>;
}

const START_DEADLINE_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const OUTPUT_KEEP = 8_000;

// The CLI is not an exported subpath of the package, so find it next to the resolved entry.
const cliPath = join(dirname(createRequire(import.meta.url).resolve('chromadb')), '..', 'cli.mjs');

/**
 * The server runs inside this Node process via native bindings and blocks its event loop, so a
 * JS watchdog can only live in a worker thread: it kills the server when its parent (the test
 * run) is gone, even if the parent died by SIGKILL and its exit hook never ran.
 */
function serverScript(args: string[]): string {
  return `
import { Worker } from 'node:worker_threads';
const parent = process.ppid;
new Worker(\`setInterval(() => { if (process.ppid !== \${parent}) process.kill(process.pid, 'SIGKILL'); }, 250);\`, { eval: true });
process.argv = [process.argv[0], ${JSON.stringify(cliPath)}, ...${JSON.stringify(args)}];
await import(${JSON.stringify(pathToFileURL(cliPath).href)});
`;
}


async function heartbeat(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

const live = new Set<ChildProcess>();
const dataDirs = new Set<string>();
let exitHookInstalled = false;
function track(child: ChildProcess) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Synchronous last resort when the test process ends without dispose().
    process.on('exit', () => {
      live.forEach((c) => signal(c, 'SIGKILL'));
      dataDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    });
  }
}

class PortInUse extends Error {}

export async function startChroma(): Promise<ChromaService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qckstrt-chroma-'));
  dataDirs.add(dataDir);
  let port = 0;
  let child: ChildProcess | undefined;
  let startMs = 0;

  const launch = async (): Promise<void> => {
    const url = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    const proc = spawn(process.execPath, ['--input-type=module', '-e', serverScript(['run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)])], {
      detached: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    track(proc);
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-OUTPUT_KEEP);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    // A forgotten dispose() must not keep the test process alive; its exit hook kills the server.
    proc.unref();
    (proc.stdout as Socket).unref();
    (proc.stderr as Socket).unref();
    const deadline = Date.now() + START_DEADLINE_MS;
    // A heartbeat alone could come from another server on the port (ours then exits at once):
    // also require our process alive and its banner printed, or alive for a while.
    while (Date.now() < deadline) {
      const settled = output.includes('Connect to Chroma at') || performance.now() - t0 > 2_000;
      if (/is not available/.test(output)) throw new PortInUse(`Port ${port} is in use:\n${output}`);
      if (exited(proc)) throw new Error(`ChromaDB exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it answered:\n${output}`);
      if (settled && (await heartbeat(url)) && !exited(proc)) {
        child = proc;
        startMs = performance.now() - t0;
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await kill(proc);
    throw new Error(`ChromaDB on ${url} did not answer /api/v2/heartbeat within ${START_DEADLINE_MS} ms:\n${output}`);
  };

  const kill = async (proc: ChildProcess): Promise<void> => {
    if (exited(proc)) return;
    signal(proc, 'SIGTERM');
    if (await waitForExit(proc, STOP_GRACE_MS)) return;
    signal(proc, 'SIGKILL');
    await waitForExit(proc, STOP_GRACE_MS);
  };

  // A free port can be taken between probing and binding: retry a few times on a conflict.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (err) {
      if (!(err instanceof PortInUse) || attempt >= 5) {
        rmSync(dataDir, { recursive: true, force: true });
        dataDirs.delete(dataDir);
        throw err;
      }
    }
  }

  const stop = async () => {
    if (child) await kill(child);
    child = undefined;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    get pid() {
      return child && !exited(child) ? child.pid : undefined;
    },
    get startMs() {
      return startMs;
    },
    stop,
    start: async () => {
      if (child && !exited(child)) return;
      await launch();
    },
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      dataDirs.delete(dataDir);
    },
  };
}
