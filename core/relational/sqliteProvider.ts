import { mapProviderErrors } from '../util/providerErrors';
import { EmbeddedVectorStore } from '../vector/embeddedStore';
import type { VectorStore } from '../vector/types';
import { isSqliteUnavailable, type SqliteDb } from './sqliteDatabase';
import { SqliteRelationalStore } from './sqliteStore';
import type { RelationalStore } from './types';

/** The embedded providers on one SQLite connection, with lost-connection errors mapped. */
export function sqliteRelationalStore(db: SqliteDb, path: string): RelationalStore {
  return mapProviderErrors(new SqliteRelationalStore(db, path), 'sqlite', isSqliteUnavailable);
}

export function embeddedVectorStore(db: SqliteDb, generation = ''): VectorStore {
  return mapProviderErrors(new EmbeddedVectorStore(db, generation), 'embedded', isSqliteUnavailable);
}
