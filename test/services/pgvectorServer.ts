import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { postgresSettingsSchema } from '../../core/api/settings';
import { startChrootPostgres, type PostgresCluster } from './chrootPostgres';
import { ensureDebianRoot } from './debianRoot';

/**
 * A real PostgreSQL 17 with pgvector for tests. Neither is in Debian 12, so the server runs from
 * a Debian 13 (trixie) root made with `debootstrap --variant=minbase`, cached outside the repo
 * and built once per machine (~1-2 min); each start makes a fresh cluster in it (~1 s).
 */
export interface PgvectorService {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly database: string;
  readonly user: 'postgres';
  /** The postmaster's PID; undefined while stopped. */
  readonly pid: number | undefined;
  /** pgvector's version as the server offers it (`pg_available_extensions`). */
  readonly pgvectorVersion: string;
  /** Milliseconds this start took, cluster creation included (root build excluded). */
  readonly startMs: number;
  /** Milliseconds spent building the root, when this call had to build it. */
  readonly rootBuildMs: number | undefined;
  /** Fast shutdown by the postmaster's PID, waiting until it is gone. */
  stop(): Promise<void>;
  /** Starts it again with the same data. */
  start(): Promise<void>;
  /** Stops it and removes the cluster; the cached root stays. */
  dispose(): Promise<void>;
}

/** Bump when the packages or the finishing steps change: a new stamp builds a new root. */
export const PGVECTOR_ROOT_STAMP = 'trixie-postgresql-17-pgvector-1';
const PG_BIN = '/usr/lib/postgresql/17/bin';
/** What a usable root has; a cached root missing any of these is built again. */
const ESSENTIALS = [
  `${PG_BIN}/postgres`,
  `${PG_BIN}/initdb`,
  '/usr/lib/postgresql/17/lib/vector.so',
  '/usr/share/postgresql/17/extension/vector.control',
  '/dev/null',
];

/** Trims the fresh root and makes it fit to run a server in with plain `chroot`. */
function finishRoot(dir: string): void {
  // The downloaded .debs and the package's default cluster are dead weight (~150 MB).
  for (const f of readdirSync(join(dir, 'var/cache/apt/archives'))) {
    if (f.endsWith('.deb')) rmSync(join(dir, 'var/cache/apt/archives', f));
  }
  rmSync(join(dir, 'var/lib/postgresql/17/main'), { recursive: true, force: true });
  rmSync(join(dir, 'etc/postgresql/17/main'), { recursive: true, force: true });
  // The server needs these device nodes and nothing else from /dev; making them (rather than
  // bind-mounting the host's /dev) leaves no mount that could make deleting the root dangerous.
  const nodes: [string, number][] = [
    ['null', 3],
    ['zero', 5],
    ['random', 8],
    ['urandom', 9],
  ];
  for (const [name, minor] of nodes) {
    const path = join(dir, 'dev', name);
    if (!existsSync(path) && spawnSync('mknod', ['-m', '666', path, 'c', '1', String(minor)]).status !== 0) {
      throw new Error(`mknod ${path} failed: the root needs /dev/${name}`);
    }
  }
  // POSIX shared memory (dynamic_shared_memory_type=posix) lives in /dev/shm.
  mkdirSync(join(dir, 'dev/shm'), { recursive: true });
  chmodSync(join(dir, 'dev/shm'), 0o1777);
  for (const needed of ESSENTIALS) {
    if (!existsSync(join(dir, needed))) throw new Error(`The debootstrap'd root lacks ${needed}`);
  }
}

/** The cached trixie root with PostgreSQL 17 and pgvector, built on first use. */
export async function ensurePgvectorRoot(): Promise<{ dir: string; buildMs?: number }> {
  return ensureDebianRoot({
    stamp: PGVECTOR_ROOT_STAMP,
    suite: 'trixie',
    packages: ['postgresql-17', 'postgresql-17-pgvector'],
    finish: finishRoot,
    essentials: ESSENTIALS,
  });
}

export async function startPgvector(): Promise<PgvectorService> {
  const root = await ensurePgvectorRoot();
  const t0 = performance.now();
  const cluster: PostgresCluster = await startChrootPostgres({
    rootDir: root.dir,
    binDir: PG_BIN,
    clustersDir: '/srv/qckstrt-clusters',
    database: 'qckstrt',
  });
  let pgvectorVersion: string;
  try {
    const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string | null }>(`SELECT default_version AS v FROM pg_available_extensions WHERE name = 'vector'`);
      if (!rows[0]?.v) throw new Error(`The server in ${root.dir} does not offer the vector extension`);
      pgvectorVersion = rows[0].v;
    } finally {
      await client.end();
    }
  } catch (err) {
    await cluster.dispose();
    throw err;
  }
  const startMs = performance.now() - t0;
  return {
    host: cluster.host,
    port: cluster.port,
    database: cluster.database,
    user: cluster.user,
    get pid() {
      return cluster.pid;
    },
    pgvectorVersion,
    startMs,
    rootBuildMs: root.buildMs,
    stop: () => cluster.stop(),
    start: () => cluster.start(),
    dispose: () => cluster.dispose(),
  };
}

/** Connection settings for a database on the server (the default: the service's own). */
export function pgSettingsOf(service: { host: string; port: number; database: string }, overrides: { database?: string; username?: string } = {}) {
  return postgresSettingsSchema.parse({
    host: service.host,
    port: service.port,
    database: overrides.database ?? service.database,
    username: overrides.username ?? 'postgres',
    connectTimeoutMs: 2_000,
  });
}
