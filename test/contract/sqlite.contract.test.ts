import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqlite, type SqliteDb } from '../../core/relational/sqliteDatabase';
import { sqliteRelationalStore } from '../../core/relational/sqliteProvider';
import { tempDir } from '../helpers/tempDir';
import { keywordIndexContract } from './keywordIndex.contract';
import { relationalStoreContract } from './relationalStore.contract';

const dir = tempDir();
const dbs: SqliteDb[] = [];
afterAll(() => {
  dbs.forEach((db) => db.open && db.close());
  dir.cleanup();
});

relationalStoreContract('sqlite (better-sqlite3)', () => ({
  open: async () => {
    const path = join(dir.path, 'kb.sqlite');
    const db = openSqlite(path);
    dbs.push(db);
    return sqliteRelationalStore(db, path);
  },
  stopBackend: async () => dbs.forEach((db) => db.open && db.close()),
  startBackend: async () => {},
}));

keywordIndexContract('sqlite (FTS5)', async () => {
  const path = join(dir.path, 'keywords.sqlite');
  const db = openSqlite(path);
  dbs.push(db);
  return sqliteRelationalStore(db, path);
});
