import { registerTypes } from 'pgvector/pg';
import { KbError } from '../../api/errors';
import type { PgClient, PgDatabase } from '../../relational/postgres/pgDatabase';

/** Iterative index scans (`hnsw.iterative_scan`), which make filtered HNSW queries complete, came in 0.8.0. */
export const ITERATIVE_SCAN_SINCE = [0, 8, 0] as const;

export function parseVersion(version: string): number[] {
  return version.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
}

export function atLeast(version: string, min: readonly number[]): boolean {
  const v = parseVersion(version);
  for (let i = 0; i < min.length; i++) {
    const a = v[i] ?? 0;
    const b = min[i]!;
    if (a !== b) return a > b;
  }
  return true;
}

export interface VectorExtensionInfo {
  /** Installed pgvector version in this database. */
  version: string;
  /** `server_version`, e.g. "17.12 (Debian 17.12-0+deb13u1)". */
  serverVersion: string;
  /** Whether per-user HNSW queries can use iterative scans (pgvector ≥ 0.8). */
  iterativeScan: boolean;
}

function notInstalled(serverVersion: string): KbError {
  const major = /^\d+/.exec(serverVersion)?.[0] ?? 'N';
  return new KbError(
    'ProviderUnavailable',
    `The pgvector extension is not installed on this PostgreSQL server (PostgreSQL ${serverVersion}). ` +
      `Install it on the server — Debian/Ubuntu: apt-get install postgresql-${major}-pgvector; ` +
      `Docker: use the pgvector/pgvector:pg${major} image; otherwise build it from the pgvector sources — ` +
      `or choose another vector store in Settings.`,
  );
}

/**
 * Makes sure the `vector` extension exists in the current database (creating it if the server
 * has it) and says which pgvector it is. Runs inside the caller's transaction. Checks
 * `pg_available_extensions` first, so a server without pgvector fails with a message saying how
 * to install it, not with PostgreSQL's "could not open extension control file".
 */
export async function ensureVectorExtension(db: PgDatabase): Promise<VectorExtensionInfo> {
  const { rows } = await db.query<{ server: string; available: string | null; installed: string | null; db: string; usr: string }>(
    `SELECT current_setting('server_version') AS server, current_database() AS db, current_user AS usr,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS installed`,
  );
  const info = rows[0]!;
  let version = info.installed;
  if (!version) {
    if (!info.available) throw notInstalled(info.server);
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (err) {
      if ((err as { code?: string }).code === '42501') {
        throw new KbError(
          'ProviderUnavailable',
          `The pgvector extension is installed on the server but not enabled in database "${info.db}", and user "${info.usr}" may not enable it. ` +
            `Ask an administrator to run CREATE EXTENSION vector; in that database, or connect as a user who may.`,
          { cause: err },
        );
      }
      throw err;
    }
    const after = await db.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'`);
    version = after.rows[0]!.v;
  }
  return { version, serverVersion: info.server, iterativeScan: atLeast(version, ITERATIVE_SCAN_SINCE) };
}

const registered = new WeakSet<PgDatabase>();

async function registerOn(client: PgClient): Promise<void> {
  try {
    await registerTypes(client);
  } catch {
    // no vector type in this database (yet): values arrive as text
  }
}

/**
 * Registers pgvector's type parser on the pool's connections: from now on on every new one
 * (`onConnect`, once per pool), and right away on those already open and idle, which were
 * opened before the extension existed (the relational store's, and the one `connect()` itself
 * just used). A connection busy elsewhere at this moment keeps returning vectors as text, which
 * `fromVectorSql` also reads. Failures are swallowed so they never break the relational store's
 * connections: the text form always works.
 */
export async function registerVectorType(db: PgDatabase): Promise<void> {
  if (!registered.has(db)) {
    registered.add(db);
    db.onConnect(registerOn);
  }
  const idle = db.pool.idleCount;
  if (idle === 0) return;
  // Checking out as many clients as are idle hands us exactly the idle ones (no new connections).
  const clients = await Promise.all(Array.from({ length: idle }, () => db.pool.connect()));
  try {
    await Promise.all(clients.map(registerOn));
  } finally {
    clients.forEach((c) => c.release());
  }
}
