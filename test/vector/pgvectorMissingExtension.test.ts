import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgvectorStore } from '../../core/vector/pgvector/pgvectorStore';
import { startChrootPostgres, type PostgresCluster } from '../services/chrootPostgres';
import { pgSettingsOf } from '../services/pgvectorServer';

/** The host's own Debian PostgreSQL (15 here), which has no pgvector: Debian 12 does not package it. */
function hostPostgresWithoutPgvector(): { binDir: string; major: string } {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const major = majors.find(
    (v) => existsSync(join(base, v, 'bin/initdb')) && !existsSync(`/usr/share/postgresql/${v}/extension/vector.control`),
  );
  if (!major) throw new Error('This test needs a PostgreSQL server without pgvector on the host: apt-get install -y postgresql-15');
  return { binDir: join(base, major, 'bin'), major };
}

describe('pgvector store on a PostgreSQL server without pgvector', () => {
  const host = hostPostgresWithoutPgvector();
  let server: PostgresCluster;
  let db: PgDatabase;

  beforeAll(async () => {
    server = await startChrootPostgres({ rootDir: '/', binDir: host.binDir, clustersDir: join(tmpdir(), 'qckstrt-pg-clusters') });
    db = new PgDatabase(pgSettingsOf(server));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await server?.dispose();
  });

  it('fails fast at connect() with ProviderUnavailable saying how to install pgvector, and creates nothing', async () => {
    const store = pgvectorStore(db, settingsSchema.parse({}).vector);
    const t0 = performance.now();
    await expect(store.connect(384)).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: expect.stringMatching(
        new RegExp(`^The pgvector extension is not installed on this PostgreSQL server \\(PostgreSQL ${host.major}\\..*apt-get install postgresql-${host.major}-pgvector`),
      ),
    });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(store.dimensions()).toBeUndefined();
    const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('vector_embeddings')::text AS t`);
    expect(rows[0]!.t).toBeNull();
    await expect(store.query(new Float32Array(384), 'alice', 5)).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
  });

  it('reports itself unavailable, with the reason', async () => {
    const health = await pgvectorStore(db, settingsSchema.parse({}).vector).isAvailable();
    expect(health).toMatchObject({ provider: 'pgvector', available: false, message: expect.stringMatching(/pgvector extension is not installed on this PostgreSQL server/) });
  });
});
