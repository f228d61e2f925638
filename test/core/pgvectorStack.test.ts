import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { migrateVectors } from '../../core/ops/migrateVectors';
import { openVectorStore } from '../../core/service/providers';
import { chunk, clusteredVectors } from '../contract/vectorFixtures';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgSettingsOf, startPgvector, type PgvectorService } from '../services/pgvectorServer';

describe('the PostgreSQL + pgvector stack on real servers', () => {
  let pg: PgvectorService;
  let chroma: ChromaService;
  const data = tempDir();
  const files = tempDir();

  beforeAll(async () => {
    [pg, chroma] = await Promise.all([startPgvector(), startChroma()]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([pg?.dispose(), chroma?.dispose()]);
    data.cleanup();
    files.cleanup();
  });

  const env = () => ({
    RELATIONAL_DB_PROVIDER: 'postgres',
    RELATIONAL_DB_HOST: pg.host,
    RELATIONAL_DB_PORT: String(pg.port),
    RELATIONAL_DB_DATABASE: pg.database,
    RELATIONAL_DB_USERNAME: pg.user,
    VECTOR_DB_PROVIDER: 'pgvector',
  });

  it('indexes, searches and deletes with rows and vectors in one database (configured by the specification env vars)', async () => {
    const t = await startTestService(env(), data.path);
    const status = await t.service.getStatus();
    expect(status.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(status.vector).toMatchObject({ provider: 'pgvector', available: true });
    const jobs = await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
    expect((await t.service.search({ query: 'paying money to the government on what you earn', k: 2 })).hits[0]?.documentName).toBe('taxes.txt');
    const taxes = (await t.service.listDocuments()).find((d) => d.name === 'taxes.txt')!;
    await t.service.deleteDocument({ id: taxes.id });
    expect((await t.service.getStatus()).chunks).toBe(3);
    expect((await t.service.search({ query: 'income tax', k: 10 })).hits.map((h) => h.documentName)).not.toContain('taxes.txt');
    await t.dispose();
  });

  it('migrates vectors from ChromaDB to pgvector without re-embedding', async () => {
    const settings = settingsSchema.parse({
      relational: { postgres: { host: pg.host, port: pg.port, database: pg.database, username: pg.user } },
      vector: { chromaUrl: chroma.url, chromaCollection: 'to-migrate' },
    });
    const from = openVectorStore({ ...settings, vector: { ...settings.vector, provider: 'chromadb' } }, data.path);
    // A fresh database on the same server, so the target starts empty.
    const admin = new PgDatabase(pgSettingsOf(pg));
    await admin.query('CREATE DATABASE migrated');
    await admin.close();
    const target = openVectorStore(
      { ...settings, relational: { ...settings.relational, postgres: { ...settings.relational.postgres, database: 'migrated' } }, vector: { ...settings.vector, provider: 'pgvector' } },
      data.path,
    );
    await from.store.connect(24);
    await target.store.connect(24);
    const vectors = clusteredVectors(400, 24, 8, 5);
    // Every third chunk has a heading path and pages, which must cross from metadata to the jsonb column.
    const locationOf = (d: number, i: number) => (i % 3 ? undefined : { headingPath: [`Doc ${d}`, `Part ${i}`], pageStart: i + 1, pageEnd: i + 1 });
    for (let d = 0; d < 20; d++) {
      const chunks = vectors
        .slice(d * 20, d * 20 + 20)
        .map((e, i) => ({ ...chunk(`doc${d}`, i, e), ...(locationOf(d, i) ? { location: locationOf(d, i) } : {}) }));
      await from.store.upsert(`user-${d % 2}`, `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`, chunks);
    }
    const result = await migrateVectors(from.store, target.store, { checkpointPath: `${data.path}/cp.json` });
    expect(result).toMatchObject({ from: 'chromadb', to: 'pgvector', sourceVectors: 400, targetVectors: 400, documentsDone: 20 });
    const q = vectors[42]!;
    const [a, b] = [await from.store.query(q, 'user-0', 5), await target.store.query(q, 'user-0', 5)];
    expect(b.map((h) => h.chunkId)).toEqual(a.map((h) => h.chunkId));
    expect(b.map((h) => h.location)).toEqual(a.map((h) => h.location));
    const copied = new Map<string, unknown>();
    for await (const doc of target.store.scanDocuments()) for (const c of doc.chunks) copied.set(c.id, c.location);
    expect(copied.size).toBe(400);
    for (const [id, location] of copied) {
      const [, d, i] = /^doc(\d+):(\d+)$/.exec(id)!.map(Number);
      expect(location).toEqual(locationOf(d!, i!));
    }
    expect([...(await target.store.documentChunkCounts()).values()]).toEqual(new Array(20).fill(20));
    await from.close();
    await target.close();
  }, 60_000);
});
