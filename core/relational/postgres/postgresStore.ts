import type { ProviderHealth } from '../../api/types';
import { mapProviderErrors } from '../../util/providerErrors';
import type { RelationalStore } from '../types';
import { isPgUnavailable, type PgDatabase } from './pgDatabase';
import { pgRunner } from './pgRunner';
import { SqlRelationalStore } from './sqlRelationalStore';

export interface PostgresStoreOptions {
  /** End the pool on `close()`. Off when the pool is shared (pgvector reuses it); its owner ends it. */
  ownsDatabase?: boolean;
}

/** PostgreSQL through the shared node-postgres pool; statements join `db.transaction()`. */
export class PostgresRelationalStore extends SqlRelationalStore {
  readonly provider = 'postgres';

  constructor(
    private readonly db: PgDatabase,
    private readonly opts: PostgresStoreOptions = {},
  ) {
    super(pgRunner(db));
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    try {
      const { latencyMs, serverVersion } = await this.db.ping();
      return { provider: this.provider, available: true, latencyMs, message: `PostgreSQL ${serverVersion}` };
    } catch (err) {
      return { provider: this.provider, available: false, latencyMs: performance.now() - start, message: this.db.redact((err as Error).message) };
    }
  }

  async close(): Promise<void> {
    if (this.opts.ownsDatabase) await this.db.close();
  }
}

/** The postgres provider, with lost-server errors mapped to `ProviderUnavailable`. */
export function postgresRelationalStore(db: PgDatabase, opts?: PostgresStoreOptions): RelationalStore {
  return mapProviderErrors(new PostgresRelationalStore(db, opts), 'postgres', isPgUnavailable);
}
