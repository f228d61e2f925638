import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqlite, type SqliteDb } from '../../core/relational/sqliteDatabase';
import { embeddedVectorStore } from '../../core/relational/sqliteProvider';
import { tempDir } from '../helpers/tempDir';
import { vectorStoreContract } from './vectorStore.contract';

const dir = tempDir();
const dbs: SqliteDb[] = [];
afterAll(() => {
  dbs.forEach((db) => db.open && db.close());
  dir.cleanup();
});

vectorStoreContract('embedded (sqlite-vec)', () => ({
  open: async () => {
    const db = openSqlite(join(dir.path, 'kb.sqlite'));
    dbs.push(db);
    return embeddedVectorStore(db);
  },
  openGeneration: async (generation) => {
    const db = openSqlite(join(dir.path, 'kb.sqlite'));
    dbs.push(db);
    return embeddedVectorStore(db, generation);
  },
  // The embedded store's "backend" is its SQLite connection.
  stopBackend: async () => dbs.forEach((db) => db.open && db.close()),
  startBackend: async () => {},
  minRecall: 1, // exact search
}));
