import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../api/settings';
import type { PoolUse } from '../api/types';
import { auroraRelationalStore } from '../relational/aurora/auroraStore';
import { PgDatabase } from '../relational/postgres/pgDatabase';
import { postgresRelationalStore } from '../relational/postgres/postgresStore';
import { openSqlite, type SqliteDb } from '../relational/sqliteDatabase';
import { embeddedVectorStore, sqliteRelationalStore } from '../relational/sqliteProvider';
import type { RelationalStore } from '../relational/types';
import { chromaVectorStore } from '../vector/chroma/chromaStore';
import { pgvectorStore } from '../vector/pgvector/pgvectorStore';
import type { VectorStore } from '../vector/types';
import { pgSchemaName, sqliteFileName } from '../config/storeLocation';

/** The first generation's SQLite file (see sqliteFileName for the others). */
export const DB_FILE = sqliteFileName('');

export interface Stores {
  relational: RelationalStore;
  vector: VectorStore;
  /**
   * Runs fn so that its relational and vector writes commit together when both live in one
   * database (postgres + pgvector); otherwise fn runs as is, vectors written before rows.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** The PostgreSQL pool's use, when one is open (relational postgres or pgvector). */
  poolUse(): PoolUse | undefined;
  close(): Promise<void>;
}

/** Connections the providers share, opened on first use (lazy connection). */
class SharedConnections {
  private sqliteDb: SqliteDb | undefined;
  private pgDb: PgDatabase | undefined;

  constructor(
    readonly settings: Settings,
    readonly dataDir: string,
    private readonly nativeBinding?: string,
    private readonly readOnly = false,
  ) {}

  get sqlitePath(): string {
    return join(this.dataDir, sqliteFileName(this.settings.relational.generation));
  }

  sqlite(): SqliteDb {
    // Read-only once the file exists: before that there is no library to protect (and nothing to read).
    this.sqliteDb ??= openSqlite(this.sqlitePath, this.nativeBinding, { readOnly: this.readOnly && existsSync(this.sqlitePath) });
    return this.sqliteDb;
  }

  /** The relational Postgres connection; pgvector reuses it. */
  postgres(): PgDatabase {
    // A relational generation lives in its own schema; pgvector beside SQLite keeps the default one.
    const schema = this.settings.relational.provider === 'postgres' ? pgSchemaName(this.settings.relational.generation) : undefined;
    this.pgDb ??= new PgDatabase(this.settings.relational.postgres, schema);
    return this.pgDb;
  }

  get hasPostgres(): boolean {
    return this.pgDb !== undefined;
  }

  poolUse(): PoolUse | undefined {
    return this.pgDb?.poolUse();
  }

  async close(): Promise<void> {
    await this.pgDb?.close();
    if (this.sqliteDb?.open) this.sqliteDb.close();
  }
}

type Provider<T> = (c: SharedConnections) => T;

/** Registries of factories, chosen by the parsed settings (design practice 3). */
const RELATIONAL: Record<Settings['relational']['provider'], Provider<RelationalStore>> = {
  sqlite: (c) => sqliteRelationalStore(c.sqlite(), c.sqlitePath),
  postgres: (c) => postgresRelationalStore(c.postgres()),
  aurora: (c) => auroraRelationalStore(c.settings.relational.aurora),
};

const VECTOR: Record<Settings['vector']['provider'], Provider<VectorStore>> = {
  embedded: (c) => embeddedVectorStore(c.sqlite(), c.settings.vector.generation),
  chromadb: (c) => chromaVectorStore(c.settings.vector),
  pgvector: (c) => pgvectorStore(c.postgres(), c.settings.vector),
};

/**
 * Builds the configured providers; nothing connects until first used. `readOnly`: the embedded
 * database is opened so that SQLite refuses writes (a service that does not hold the library).
 */
export function openStores(settings: Settings, dataDir: string, nativeBinding?: string, { readOnly = false }: { readOnly?: boolean } = {}): Stores {
  const shared = new SharedConnections(settings, dataDir, nativeBinding, readOnly);
  const relational = RELATIONAL[settings.relational.provider](shared);
  const vector = VECTOR[settings.vector.provider](shared);
  const oneDatabase = settings.relational.provider === 'postgres' && settings.vector.provider === 'pgvector';
  return {
    relational,
    vector,
    transaction: oneDatabase ? (fn) => shared.postgres().transaction(fn) : (fn) => fn(),
    poolUse: () => shared.poolUse(),
    close: async () => {
      await vector.close().catch(() => {});
      await relational.close().catch(() => {});
      await shared.close();
    },
  };
}

/** Just a vector store of the given settings (for migration between stores). */
export function openVectorStore(settings: Settings, dataDir: string, nativeBinding?: string): { store: VectorStore; close(): Promise<void> } {
  const shared = new SharedConnections(settings, dataDir, nativeBinding);
  const store = VECTOR[settings.vector.provider](shared);
  return {
    store,
    close: async () => {
      await store.close().catch(() => {});
      await shared.close();
    },
  };
}
