import { afterAll, beforeAll } from 'vitest';
import { auroraSettingsSchema } from '../../core/api/settings';
import { auroraRelationalStore, type AuroraStoreOptions } from '../../core/relational/aurora/auroraStore';
import type { RelationalStore } from '../../core/relational/types';
import { startDataApiServer, type DataApiServer } from './dataApiServer';
import { startPostgres, type PostgresService } from './postgres';

/** Dummy keys: the local endpoint checks that requests are signed, not by whom. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

export interface AuroraStack {
  readonly postgres: PostgresService;
  readonly dataApi: DataApiServer;
  /** Aurora settings pointing at the local endpoint (fields in `over` replace them). */
  settings(over?: Record<string, string>): ReturnType<typeof auroraSettingsSchema.parse>;
  /** An aurora store on the local endpoint, closed after the file. */
  open(over?: Record<string, string>, opts?: AuroraStoreOptions): RelationalStore;
}

/**
 * The real SDK and the provider's real SQL against a local RDS Data API endpoint backed by a real
 * PostgreSQL (AWS cannot be reached from here), started before a test file and stopped after it.
 */
export function useAuroraStack(): AuroraStack {
  let postgres: PostgresService | undefined;
  let dataApi: DataApiServer | undefined;
  const stores: RelationalStore[] = [];
  beforeAll(async () => {
    postgres = await startPostgres();
    dataApi = await startDataApiServer({ postgres });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dataApi?.dispose();
    await postgres?.dispose();
  });
  const stack: AuroraStack = {
    get postgres() {
      return postgres as PostgresService;
    },
    get dataApi() {
      return dataApi as DataApiServer;
    },
    settings: (over = {}) =>
      auroraSettingsSchema.parse({
        resourceArn: stack.dataApi.resourceArn,
        secretArn: stack.dataApi.secretArn,
        database: stack.postgres.database,
        endpoint: stack.dataApi.endpoint,
        ...over,
      }),
    open: (over = {}, opts = {}) => {
      const store = auroraRelationalStore(stack.settings(over), { credentials: LOCAL_CREDENTIALS, ...opts });
      stores.push(store);
      return store;
    },
  };
  return stack;
}
