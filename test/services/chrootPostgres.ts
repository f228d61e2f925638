import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { removeTreeSafely } from './mountSafety';
import { freePort } from './freePort';
import { exited, signal, waitForExit } from './childProcess';

/**
 * A throwaway PostgreSQL cluster run with `chroot` inside a root file system: a debootstrap'd
 * Debian root (PostgreSQL 17 + pgvector), or `/` for the host's own PostgreSQL. The server runs
 * as the root's `postgres` user, listens on 127.0.0.1 only and keeps its socket inside the root.
 */
export interface ChrootPostgresOptions {
  /** The root file system the server runs in ('/' for the host's own installation). */
  rootDir: string;
  /** The server binaries, as a path inside the root. */
  binDir: string;
  /** Where clusters are made, as a path inside the root. */
  clustersDir: string;
  /** Created on first start; default `qckstrt`. */
  database?: string;
}

export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly database: string;
  readonly user: 'postgres';
  /** The postmaster's PID; undefined while stopped. */
  readonly pid: number | undefined;
  /** The cluster's folder as seen from this machine (data/, sock/, postgres.log). */
  readonly clusterDir: string;
  /** Milliseconds the last (re)start took (initdb included on the first). */
  readonly startMs: number;
  /** Fast shutdown by the postmaster's PID (SIGINT, then SIGQUIT, then SIGKILL), waiting until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes the cluster (the root stays). */
  dispose(): Promise<void>;
}

const READY_DEADLINE_MS = 30_000;
const STOP_GRACE_MS = 15_000;

class PortInUse extends Error {}


/** The `postgres` account of the root (initdb and the server refuse to run as root). */
function postgresAccount(rootDir: string): { uid: number; gid: number } {
  const line = readFileSync(join(rootDir, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error(`${join(rootDir, 'etc/passwd')} has no postgres user: is PostgreSQL installed in that root?`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when a test process ends without dispose(): ask for a fast shutdown.
    process.on('exit', () => live.forEach((c) => signal(c, 'SIGINT')));
  }
}

/**
 * A detached watchdog that shuts the postmaster down when the test process is gone, even if it
 * died by SIGKILL and its exit hook never ran (nothing else would stop an orphaned server).
 */
function watchPostmaster(postmasterPid: number): void {
  const script = `
    const [parent, pm] = process.argv.slice(1).map(Number);
    const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    const timer = setInterval(() => {
      if (!alive(pm)) process.exit(0);
      if (alive(parent)) return;
      clearInterval(timer);
      try { process.kill(pm, 'SIGINT'); } catch {}
      setTimeout(() => { try { process.kill(pm, 'SIGKILL'); } catch {} process.exit(0); }, 15000).unref();
      const done = setInterval(() => { if (!alive(pm)) process.exit(0); }, 200);
      done.unref?.();
    }, 500);`;
  const dog = spawn(process.execPath, ['-e', script, String(process.pid), String(postmasterPid)], { detached: true, stdio: 'ignore' });
  dog.unref();
}

/** Removes clusters left by test processes that are gone and whose servers are not running. */
function sweepAbandoned(hostClustersDir: string): void {
  if (!existsSync(hostClustersDir)) return;
  for (const name of readdirSync(hostClustersDir)) {
    const owner = /^(\d+)-/.exec(name);
    if (!owner || pidAlive(Number(owner[1]))) continue;
    const dir = join(hostClustersDir, name);
    try {
      const pm = Number(readFileSync(join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
      if (pm && pidAlive(pm)) continue;
    } catch {
      // no postmaster.pid: not running
    }
    try {
      removeTreeSafely(dir);
    } catch {
      // leave it for a later sweep
    }
  }
}

export async function startChrootPostgres(options: ChrootPostgresOptions): Promise<PostgresCluster> {
  if (process.getuid?.() !== 0) throw new Error('chroot needs root: run these tests as root.');
  const { rootDir, binDir, clustersDir } = options;
  const database = options.database ?? 'qckstrt';
  const account = postgresAccount(rootDir);
  const hostClustersDir = join(rootDir, clustersDir);
  mkdirSync(hostClustersDir, { recursive: true });
  sweepAbandoned(hostClustersDir);

  const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const inner = `${clustersDir}/${name}`; // as the server sees it
  const clusterDir = join(hostClustersDir, name);
  mkdirSync(join(clusterDir, 'sock'), { recursive: true });
  chownSync(clusterDir, account.uid, account.gid);
  chownSync(join(clusterDir, 'sock'), account.uid, account.gid);
  const logPath = join(clusterDir, 'postgres.log');

  /** A command inside the root as its postgres user, with a clean environment; exec'd, so PIDs match. */
  const inRoot = (command: string, args: string[]) => [
    `--userspec=${account.uid}:${account.gid}`,
    rootDir,
    'env',
    '-i',
    'PATH=/usr/bin:/bin',
    'LANG=C.UTF-8',
    `${binDir}/${command}`,
    ...args,
  ];

  const t0 = performance.now();
  const initdb = spawnSync(
    'chroot',
    inRoot('initdb', ['-D', `${inner}/data`, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']),
    { encoding: 'utf8' },
  );
  if (initdb.status !== 0) {
    removeTreeSafely(clusterDir);
    throw new Error(`initdb in ${rootDir} failed (exit ${initdb.status}):\n${initdb.stdout}\n${initdb.stderr}`);
  }

  let port = 0;
  let child: ChildProcess | undefined;
  let startMs = 0;

  const launch = async (): Promise<void> => {
    const t = performance.now();
    const logStart = existsSync(logPath) ? statSync(logPath).size : 0;
    const log = openSync(logPath, 'a');
    const proc = spawn(
      'chroot',
      inRoot('postgres', [
        '-D', `${inner}/data`,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${inner}/sock`,
        // A throwaway test cluster: durability buys nothing here.
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
        '-c', 'synchronous_commit=off',
      ]),
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    track(proc);
    const output = () => readFileSync(logPath, 'utf8').slice(logStart);
    const deadline = Date.now() + READY_DEADLINE_MS;
    while (Date.now() < deadline) {
      const out = output();
      if (/could not bind|Address already in use/.test(out)) {
        await kill(proc);
        throw new PortInUse(out);
      }
      if (exited(proc)) throw new Error(`PostgreSQL exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready:\n${out}`);
      // Our own server's log line, so an unrelated server that grabbed the port is not mistaken for it.
      if (out.includes('ready to accept connections')) {
        child = proc;
        watchPostmaster(proc.pid!);
        startMs = performance.now() - t;
        return;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    await kill(proc);
    throw new Error(`PostgreSQL on port ${port} was not ready within ${READY_DEADLINE_MS} ms:\n${output()}`);
  };

  const kill = async (proc: ChildProcess): Promise<void> => {
    for (const sig of ['SIGINT', 'SIGQUIT', 'SIGKILL'] as const) {
      if (exited(proc)) return;
      signal(proc, sig);
      if (await waitForExit(proc, sig === 'SIGINT' ? STOP_GRACE_MS : 5_000)) return;
    }
  };

  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (err) {
        if (!(err instanceof PortInUse) || attempt >= 5) throw err;
      }
    }
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    if (child) await kill(child);
    removeTreeSafely(clusterDir);
    throw err;
  }
  startMs = performance.now() - t0;

  const stop = async () => {
    if (child) await kill(child);
    child = undefined;
  };
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    database,
    user: 'postgres',
    clusterDir,
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
      removeTreeSafely(clusterDir);
    },
  };
}
