import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './freePort';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on 127.0.0.1 for tests; the system cluster is never touched. */
export interface PostgresService {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly database: string;
  readonly user: 'postgres';
  /** The postmaster's PID; undefined while stopped. */
  readonly pid: number | undefined;
  readonly dataDir: string;
  /** Milliseconds the first start took: initdb, server start and `CREATE DATABASE`. */
  readonly startMs: number;
  /** Whether the server takes TLS connections (a self-signed certificate for `localhost`). */
  readonly ssl: boolean;
  /** Creates another (empty) database on this server, for tests that need a fresh one. */
  createDatabase(name: string): Promise<void>;
  /** Fast shutdown by PID (SIGINT; SIGQUIT after a grace period), waiting until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
}

export interface PostgresOptions {
  database?: string;
  /** Serve TLS with a self-signed certificate (needs `openssl`). */
  ssl?: boolean;
}

const STOP_GRACE_MS = 10_000;

/** The PostgreSQL server binaries: `pg_config --bindir`, else the newest Debian install. */
async function findBinDir(): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // no pg_config on PATH: look where Debian puts the server
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found; install them with `apt-get install -y postgresql-15`');
  }
  return found;
}


/** initdb and the server refuse to run as root, so as root they run as the `postgres` user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).catch(() => {
    throw new Error('Running as root needs a `postgres` OS user (apt-get install -y postgresql-15 creates it)');
  });
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** A zombie (exited, not yet reaped by init) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresService> {
  const started = performance.now();
  const database = options.database ?? 'qckstrt';
  const binDir = await findBinDir();
  const owner = await postgresUser();
  const root = mkdtempSync(join(tmpdir(), 'qckstrt-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  if (owner) chownSync(root, owner.uid, owner.gid);

  const exec = async (bin: string, args: string[]) => {
    const file = join(binDir, bin);
    const [cmd, argv] = owner ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    try {
      return await run(cmd, argv, { cwd: root, env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
      throw new Error(`${bin} failed: ${(err as Error).message}\n${log}`, { cause: err });
    }
  };

  let watchdog: number | undefined;
  try {
    await exec('initdb', ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    if (options.ssl) await makeCertificate(dataDir, owner);
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      ...(options.ssl ? ['-c ssl=on'] : []),
    ].join(' ');

    let pid: number | undefined;
    const start = async () => {
      await exec('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);
      pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    };
    const stop = async () => {
      if (pid === undefined) return;
      const target = pid;
      pid = undefined;
      try {
        process.kill(target, 'SIGINT'); // "fast" shutdown: disconnect clients, checkpoint, exit
      } catch {
        return;
      }
      const deadline = Date.now() + STOP_GRACE_MS;
      while (isAlive(target)) {
        if (Date.now() > deadline) {
          process.kill(target, 'SIGQUIT'); // "immediate" shutdown
          await sleep(200);
          break;
        }
        await sleep(25);
      }
    };
    await start();
    watchdog = spawnWatchdog(root);

    const createDatabase = async (name: string) => {
      const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
    };
    await createDatabase(database);
    const startMs = performance.now() - started;

    let disposed = false;
    return {
      host: '127.0.0.1',
      port,
      database,
      user: 'postgres',
      get pid() {
        return pid;
      },
      dataDir,
      startMs,
      ssl: options.ssl ?? false,
      createDatabase,
      stop,
      start,
      async dispose() {
        if (disposed) return;
        disposed = true;
        await stop();
        if (watchdog) killQuietly(watchdog, 'SIGKILL');
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    const pidFile = join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) killQuietly(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    if (watchdog) killQuietly(watchdog, 'SIGKILL');
    await sleep(100);
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * pg_ctl daemonises the postmaster, so it outlives a test run that dies without running its
 * hooks. A detached shell polls this process and, once it is gone, stops the postmaster (by the
 * PID in postmaster.pid, if that PID is still a postgres process) and removes the temp dir.
 */
function spawnWatchdog(root: string): number | undefined {
  const script = `
    while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
    p="$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null)"
    if [ -n "$p" ] && grep -q postgres "/proc/$p/cmdline" 2>/dev/null; then kill -QUIT "$p"; sleep 1; fi
    rm -rf "$1"`;
  const child = spawn('sh', ['-c', script, 'pg-watchdog', root], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

/** A self-signed certificate for `localhost`, where the server looks for it (server.crt/.key). */
async function makeCertificate(dataDir: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const key = join(dataDir, 'server.key');
  const crt = join(dataDir, 'server.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', crt]);
  chmodSync(key, 0o600);
  if (owner) [key, crt].forEach((f) => chownSync(f, owner.uid, owner.gid));
}
