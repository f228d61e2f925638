import { join } from 'node:path';
import { KbError } from '../api/errors';
import type { Settings } from '../api/settings';
import { openSqlite, type SqliteDb } from '../relational/sqliteDatabase';
import { embeddedVectorStore, sqliteRelationalStore } from '../relational/sqliteProvider';
import type { RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';

export const DB_FILE = 'kb.sqlite';

export interface Stores {
  relational: RelationalStore;
  vector: VectorStore;
  close(): void;
}

/**
 * Chooses the relational and vector providers from settings. The embedded pair share one
 * SQLite file and connection. Providers not in this build fail here with a message that says so.
 */
export function openStores(settings: Settings, dataDir: string, nativeBinding?: string): Stores {
  const notYet = (kind: string, name: string) =>
    new KbError(
      'ProviderUnavailable',
      `The ${name} ${kind} provider is not available in this version of qckstrt yet; use the embedded default (sqlite + embedded).`,
    );
  const { provider: rel } = settings.relational;
  const { provider: vec } = settings.vector;
  if (rel !== 'sqlite') throw notYet('relational', rel);
  if (vec !== 'embedded') throw notYet('vector', vec);

  const path = join(dataDir, DB_FILE);
  const db: SqliteDb = openSqlite(path, nativeBinding);
  return {
    relational: sqliteRelationalStore(db, path),
    vector: embeddedVectorStore(db),
    close: () => db.close(),
  };
}
