import { afterAll, beforeAll } from 'vitest';
import { auroraSettingsSchema } from '../../core/api/settings';
import { auroraRelationalStore } from '../../core/relational/aurora/auroraStore';
import { startDataApiServer, type DataApiServer } from '../services/dataApiServer';
import { startPostgres, type PostgresService } from '../services/postgres';
import { keywordIndexContract } from './keywordIndex.contract';
import { relationalStoreContract } from './relationalStore.contract';

// The real SDK and the provider's real SQL, against a local Data API endpoint backed by a real
// PostgreSQL (AWS cannot be reached from here). "The backend goes away" = the endpoint closes.
let postgres: PostgresService;
let dataApi: DataApiServer;
beforeAll(async () => {
  postgres = await startPostgres();
  dataApi = await startDataApiServer({ postgres });
});
afterAll(async () => {
  await dataApi?.dispose();
  await postgres?.dispose();
});

const open = async (database = postgres.database) =>
  auroraRelationalStore(
    auroraSettingsSchema.parse({
      resourceArn: dataApi.resourceArn,
      secretArn: dataApi.secretArn,
      database,
      endpoint: dataApi.endpoint,
    }),
    // Dummy keys: the local endpoint checks that requests are signed, not by whom.
    { credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' } },
  );

relationalStoreContract('aurora (RDS Data API)', () => ({
  open: () => open(),
  stopBackend: () => dataApi.stop(),
  startBackend: () => dataApi.start(),
}));

// A fresh database on the same server, as the SQLite suite takes a fresh file.
keywordIndexContract('aurora (tsvector through the RDS Data API)', async () => {
  await postgres.createDatabase('keywords');
  return open('keywords');
});
