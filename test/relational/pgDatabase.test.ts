import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSettingsSchema } from '../../core/api/settings';
import { isPgUnavailable, PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { startPostgres, type PostgresService } from '../services/postgres';

const settingsFor = (server: PostgresService, over: Record<string, unknown> = {}) =>
  postgresSettingsSchema.parse({ host: server.host, port: server.port, database: server.database, username: server.user, ...over });

describe('PgDatabase pool settings', () => {
  it('applies the specified pool: max 10, min 2, idle 30 s, no TLS by default', async () => {
    const db = new PgDatabase(postgresSettingsSchema.parse({}));
    expect(db.pool.options).toMatchObject({
      host: 'localhost',
      port: 5432,
      database: 'qckstrt',
      user: 'postgres',
      max: 10,
      min: 2,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      application_name: 'qckstrt',
    });
    expect(db.pool.options.ssl).toBeUndefined();
    await db.close();
  });

  it('maps TLS settings, and the pool limits from settings', async () => {
    const db = new PgDatabase(
      postgresSettingsSchema.parse({ ssl: true, sslRejectUnauthorized: false, poolMax: 4, poolMin: 1, idleTimeoutMs: 5_000 }),
    );
    expect(db.pool.options).toMatchObject({ ssl: { rejectUnauthorized: false }, max: 4, min: 1, idleTimeoutMillis: 5_000 });
    await db.close();
    const strict = new PgDatabase(postgresSettingsSchema.parse({ ssl: true }));
    expect(strict.pool.options.ssl).toEqual({ rejectUnauthorized: true });
    await strict.close();
  });
});

describe('PgDatabase on a real server', () => {
  let server: PostgresService;
  let db: PgDatabase;
  beforeAll(async () => {
    server = await startPostgres({ ssl: true });
    db = new PgDatabase(settingsFor(server));
    await db.query('CREATE TABLE items (id INTEGER PRIMARY KEY)');
  });
  afterAll(async () => {
    await db?.close();
    await server?.dispose();
  });

  it('rolls back a transaction whose function throws, and commits one that returns', async () => {
    await expect(
      db.transaction(async () => {
        await db.query('INSERT INTO items VALUES (1)');
        await db.transaction(() => db.query('INSERT INTO items VALUES (2)')); // nested: joins
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('SELECT count(*) AS n FROM items')).rows[0]).toEqual({ n: '0' });
    await db.transaction(() => db.query('INSERT INTO items VALUES (3)'));
    expect((await db.query('SELECT id FROM items')).rows).toEqual([{ id: 3 }]);
  });

  it('returns a SQL error as it is, and the pool stays usable', async () => {
    await expect(db.transaction(() => db.query('INSERT INTO items VALUES (3)'))).rejects.toMatchObject({ code: '23505' });
    expect((await db.ping()).serverVersion).toMatch(/^15\./);
  });

  it('connects over TLS when asked, and refuses an untrusted certificate with ProviderUnavailable', async () => {
    const tls = new PgDatabase(settingsFor(server, { ssl: true, sslRejectUnauthorized: false }));
    expect((await tls.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows).toEqual([{ ssl: true }]);
    await tls.close();
    const strict = new PgDatabase(settingsFor(server, { ssl: true }));
    await expect(strict.query('SELECT 1')).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /self-signed/ });
    await strict.close();
  });

  it('fails fast with ProviderUnavailable while the server is stopped, and recovers after', async () => {
    const other = new PgDatabase(settingsFor(server));
    await other.query('SELECT 1'); // an idle pooled connection the shutdown will cut
    await server.stop();
    const started = performance.now();
    await expect(other.query('SELECT 1')).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    await expect(other.transaction(async () => {})).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    await expect(other.ping()).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    expect(performance.now() - started).toBeLessThan(2_000);
    await server.start();
    expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
  });
});

describe('PgDatabase against a server that never answers', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((s) => sockets.push(s)); // accepts, then says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    sockets.forEach((s) => s.destroy());
    silent.close();
  });

  it('gives up within the connect timeout', async () => {
    const { port } = silent.address() as { port: number };
    const db = new PgDatabase(postgresSettingsSchema.parse({ host: '127.0.0.1', port, connectTimeoutMs: 300 }));
    const started = performance.now();
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    await expect(db.ping(300)).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    expect(performance.now() - started).toBeLessThan(2_000);
    await db.close();
  });
});

describe('isPgUnavailable', () => {
  const err = (message: string, code?: string) => Object.assign(new Error(message), { code });
  it('tells a lost or refusing server from a bad statement', () => {
    expect(isPgUnavailable(err('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe(true);
    expect(isPgUnavailable(new AggregateError([err('x', 'ECONNREFUSED')], ''))).toBe(true);
    expect(isPgUnavailable(err('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isPgUnavailable(err('password authentication failed for user "x"', '28P01'))).toBe(true);
    expect(isPgUnavailable(err('database "nope" does not exist', '3D000'))).toBe(true);
    expect(isPgUnavailable(err('Query read timeout'))).toBe(true);
    expect(isPgUnavailable(err('timeout exceeded when trying to connect'))).toBe(true);
    expect(isPgUnavailable(err('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isPgUnavailable(err('syntax error at or near "SELEC"', '42601'))).toBe(false);
    expect(isPgUnavailable('ECONNREFUSED')).toBe(false);
  });
});
