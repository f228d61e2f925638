import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auroraSettingsSchema, postgresSettingsSchema } from '../../core/api/settings';
import { auroraRelationalStore } from '../../core/relational/aurora/auroraStore';
import { migrate } from '../../core/relational/postgres/migrate';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgRunner } from '../../core/relational/postgres/pgRunner';
import { postgresRelationalStore } from '../../core/relational/postgres/postgresStore';
import { startDataApiServer, type DataApiServer } from '../services/dataApiServer';
import { startPostgres, type PostgresService } from '../services/postgres';

let server: PostgresService;
let dataApi: DataApiServer;
const dbs: PgDatabase[] = [];

beforeAll(async () => {
  server = await startPostgres();
  dataApi = await startDataApiServer({ postgres: server });
});
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.close()));
  await dataApi?.dispose();
  await server?.dispose();
});

let fresh = 0;
async function freshDatabase(): Promise<string> {
  const name = `migrations_${++fresh}`;
  await server.createDatabase(name);
  return name;
}

function pgFor(database: string): PgDatabase {
  const db = new PgDatabase(postgresSettingsSchema.parse({ host: server.host, port: server.port, database, username: server.user }));
  dbs.push(db);
  return db;
}

describe('relational migrations on PostgreSQL', () => {
  it('create the specified schema once, however many instances connect at the same moment', async () => {
    const database = await freshDatabase();
    const stores = Array.from({ length: 4 }, () => postgresRelationalStore(pgFor(database)));
    await Promise.all(stores.map((s) => s.connect()));
    await stores[0]!.connect(); // and again later: nothing to do

    const db = pgFor(database);
    expect((await db.query('SELECT version FROM relational_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    const columns = await db.query(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'documents' AND column_name IN ('id', 'size', 'uploaded_at') ORDER BY column_name`,
    );
    expect(columns.rows).toEqual([
      { column_name: 'id', data_type: 'uuid' },
      { column_name: 'size', data_type: 'bigint' },
      { column_name: 'uploaded_at', data_type: 'timestamp with time zone' },
    ]);
    const indexes = await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'documents' ORDER BY indexname`);
    expect(indexes.rows.map((r) => r.indexdef).join('\n')).toMatch(/documents_uploaded_at ON public.documents USING btree \(uploaded_at DESC\)/);
    expect(indexes.rows.map((r) => r.indexdef).join('\n')).toMatch(/documents_user_id ON public.documents USING btree \(user_id\)/);
  });

  it('apply nothing when already at the newest version', async () => {
    const db = pgFor(await freshDatabase());
    const steps = [['CREATE TABLE a (x INTEGER)'], ['CREATE TABLE b (x INTEGER)']];
    expect(await migrate(pgRunner(db), { table: 'm', lockKey: 1, steps })).toEqual([1, 2]);
    expect(await migrate(pgRunner(db), { table: 'm', lockKey: 1, steps })).toEqual([]);
    expect(await migrate(pgRunner(db), { table: 'm', lockKey: 1, steps: [...steps, ['CREATE TABLE c (x INTEGER)']] })).toEqual([3]);
  });

  it('leave nothing half-applied when a step fails', async () => {
    const db = pgFor(await freshDatabase());
    const steps = [['CREATE TABLE a (x INTEGER)'], ['CREATE TABLE b (x INTEGER)', 'CREATE TABLE broken (']];
    await expect(migrate(pgRunner(db), { table: 'm', lockKey: 1, steps })).rejects.toMatchObject({ code: '42601' });
    expect((await db.query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows).toEqual([{ n: '0' }]);
  });

  it('refuse a database migrated by a newer app', async () => {
    const db = pgFor(await freshDatabase());
    await migrate(pgRunner(db), { table: 'm', lockKey: 1, steps: [['SELECT 1'], ['SELECT 2']] });
    await expect(migrate(pgRunner(db), { table: 'm', lockKey: 1, steps: [['SELECT 1']] })).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: /version 2, newer than this app knows \(1\)/,
    });
  });
});

describe('relational migrations through the Data API', () => {
  it('serialise instances connecting at once, in Data API transactions', async () => {
    const database = await freshDatabase();
    const settings = auroraSettingsSchema.parse({
      resourceArn: dataApi.resourceArn,
      secretArn: dataApi.secretArn,
      database,
      endpoint: dataApi.endpoint,
    });
    const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
    const stores = Array.from({ length: 3 }, () => auroraRelationalStore(settings, { credentials }));
    await Promise.all(stores.map((s) => s.connect()));
    expect((await pgFor(database).query('SELECT version FROM relational_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    expect(dataApi.openTransactions).toBe(0);
    await Promise.all(stores.map((s) => s.close()));
  });
});
