import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { KbError } from '../api/errors';
import { asarUnpackedPath } from './asarUnpackedPath';

export type SqliteDb = Database.Database;

/**
 * Opens the app's SQLite file with sqlite-vec loaded. WAL keeps readers (search) from waiting on
 * the writer (indexing); `synchronous=NORMAL` is durable across app crashes in WAL mode.
 * `readOnly` opens an existing file so that SQLite refuses every write: a process that does not
 * hold the library's writer lock reads alongside the writer (WAL) and cannot disturb it.
 */
export function openSqlite(path: string, nativeBinding?: string, { readOnly = false }: { readOnly?: boolean } = {}): SqliteDb {
  mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDb;
  try {
    db = new Database(path, { ...(nativeBinding ? { nativeBinding } : {}), ...(readOnly ? { readonly: true, fileMustExist: true } : {}) });
  } catch (err) {
    throw new KbError('ProviderUnavailable', `Cannot open the database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // The writer set WAL when it created the file; a read-only connection cannot change it.
  if (!readOnly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    // Not sqliteVec.load(db): its path points into app.asar in the packaged app (asarUnpackedPath.ts).
    db.loadExtension(asarUnpackedPath(sqliteVec.getLoadablePath()));
  } catch (err) {
    db.close();
    throw new KbError('ProviderUnavailable', `The sqlite-vec extension could not be loaded: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return db;
}

/** Changes when another connection commits to the file (not when this one does). */
export function dataVersion(db: SqliteDb): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/**
 * Changes whenever anything is committed to the file, by this connection (total_changes) or by
 * another one (data_version): a key for figures worth keeping between writes. ~20 µs.
 */
export function changeStamp(db: SqliteDb): string {
  return `${dataVersion(db)}:${db.prepare('SELECT total_changes()').pluck().get() as number}`;
}

/**
 * Applies numbered migrations once each, tracked in a table of the given name. A database that is
 * up to date is only read (a read-only connection opens it the same way); otherwise the steps run
 * in one `BEGIN IMMEDIATE` transaction that looks again at what is applied, so two processes
 * opening a new database at once apply each step once.
 */
export function migrate(db: SqliteDb, table: string, steps: readonly string[]): void {
  const pending = () => {
    const tracked = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    const done = new Set(tracked ? (db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version) : []);
    return steps.map((sql, i) => ({ sql, version: i + 1 })).filter((s) => !done.has(s.version));
  };
  if (!pending().length) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    for (const { sql, version } of pending()) {
      db.exec(sql);
      db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`).run(version, new Date().toISOString());
    }
  }).immediate();
}

/** Errors that mean the database file or connection is gone, not that a statement was wrong. */
export function isSqliteUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (/database connection is not open/i.test(err.message)) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CANTOPEN|IOERR|NOTADB|CORRUPT|FULL|READONLY)/.test(code);
}
