import { afterAll, beforeAll } from 'vitest';
import { postgresSettingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { postgresRelationalStore } from '../../core/relational/postgres/postgresStore';
import { startPostgres, type PostgresService } from '../services/postgres';
import { keywordIndexContract } from './keywordIndex.contract';
import { relationalStoreContract } from './relationalStore.contract';

let server: PostgresService;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.dispose();
});

const open = async (database = server.database) => {
  const db = new PgDatabase(postgresSettingsSchema.parse({ host: server.host, port: server.port, database, username: server.user }));
  return postgresRelationalStore(db, { ownsDatabase: true });
};

relationalStoreContract('postgres (node-postgres on PostgreSQL 15)', () => ({
  open: () => open(),
  stopBackend: () => server.stop(),
  startBackend: () => server.start(),
}));

// A fresh database on the same server, as the SQLite suite takes a fresh file.
keywordIndexContract('postgres (tsvector on PostgreSQL 15)', async () => {
  await server.createDatabase('keywords');
  return open('keywords');
});
