import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { KbError } from '../api/errors';

export type SqliteDb = Database.Database;

/**
 * Opens the app's SQLite file with sqlite-vec loaded. WAL keeps readers (search) from waiting on
 * the writer (indexing); `synchronous=NORMAL` is durable across app crashes in WAL mode.
 */
export function openSqlite(path: string, nativeBinding?: string): SqliteDb {
  mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDb;
  try {
    db = new Database(path, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    throw new KbError('ProviderUnavailable', `Cannot open the database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    sqliteVec.load(db);
  } catch (err) {
    db.close();
    throw new KbError('ProviderUnavailable', `The sqlite-vec extension could not be loaded: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return db;
}

/** Applies numbered migrations once each, tracked in a table of the given name. */
export function migrate(db: SqliteDb, table: string, steps: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version),
  );
  steps.forEach((sql, i) => {
    const version = i + 1;
    if (done.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`).run(version, new Date().toISOString());
    })();
  });
}

/** Errors that mean the database file or connection is gone, not that a statement was wrong. */
export function isSqliteUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (/database connection is not open/i.test(err.message)) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CANTOPEN|IOERR|NOTADB|CORRUPT|FULL|READONLY)/.test(code);
}
