import { afterAll, beforeAll } from 'vitest';
import { postgresSettingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { postgresRelationalStore } from '../../core/relational/postgres/postgresStore';
import { startPostgres, type PostgresService } from '../services/postgres';
import { relationalStoreContract } from './relationalStore.contract';

let server: PostgresService;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.dispose();
});

relationalStoreContract('postgres (node-postgres on PostgreSQL 15)', () => ({
  open: async () => {
    const db = new PgDatabase(
      postgresSettingsSchema.parse({ host: server.host, port: server.port, database: server.database, username: server.user }),
    );
    return postgresRelationalStore(db, { ownsDatabase: true });
  },
  stopBackend: () => server.stop(),
  startBackend: () => server.start(),
}));
