import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { LOCAL_USER } from '../../core/service/kbService';
import { openStores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { answersOf, LIBRARY, libraryOf } from '../helpers/library';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { startPostgres, type PostgresService } from '../services/postgres';

/** The embedded default's vectors in a data folder, counted directly. */
async function embeddedVectors(dataDir: string): Promise<number> {
  const stores = openStores(settingsSchema.parse({}), dataDir);
  await stores.vector.connect(100);
  const n = await stores.vector.count(LOCAL_USER.id);
  await stores.close();
  return n;
}

describe('pointing one provider somewhere new (environment variables at start) never loses the library', { timeout: 180_000 }, () => {
  let pg: PostgresService;
  let chroma: ChromaService;
  const files = tempDir();
  const data = tempDir();
  let before: string[];
  let answersBefore: string[];

  beforeAll(async () => {
    [pg, chroma] = await Promise.all([startPostgres(), startChroma()]);
    const t = await startTestService({}, data.path);
    await indexAndWait(t.service, writeFiles(files.path, LIBRARY));
    [before, answersBefore] = [await libraryOf(t.service), await answersOf(t.service)];
    expect((await t.service.getStatus()).mismatch).toBeUndefined();
    await t.service.close();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([pg?.dispose(), chroma?.dispose()]);
    files.cleanup();
    data.cleanup();
  });

  it('relational → a fresh PostgreSQL: no vector is deleted, the mismatch is reported; back on SQLite everything is there', async () => {
    await pg.createDatabase('fresh');
    const env = {
      RELATIONAL_DB_PROVIDER: 'postgres',
      RELATIONAL_DB_HOST: pg.host,
      RELATIONAL_DB_PORT: String(pg.port),
      RELATIONAL_DB_DATABASE: 'fresh',
      RELATIONAL_DB_USERNAME: pg.user,
    };
    const moved = await startTestService(env, data.path);
    await moved.service.idle();
    const status = await moved.service.getStatus();
    expect(status.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(status.mismatch).toMatchObject({ documents: 0, vectorDocuments: 20, vectorsWithoutRows: 20, message: expect.stringContaining('Nothing was deleted') });
    expect(await moved.service.listDocuments()).toEqual([]);
    // Asked again without force, it checks again and still deletes nothing.
    expect(await moved.service.reconcileStores(undefined)).toMatchObject({ orphansRemoved: 0, repairsQueued: 0, mismatch: { vectorsWithoutRows: 20 } });
    await moved.service.close();
    expect(await embeddedVectors(data.path)).toBe(20);

    const back = await startTestService({}, data.path);
    await back.service.idle();
    expect((await back.service.getStatus()).mismatch).toBeUndefined();
    expect(await libraryOf(back.service)).toEqual(before);
    expect(await answersOf(back.service)).toEqual(answersBefore);
    await back.service.close();
  });

  it('vector → a fresh ChromaDB: nothing is re-embedded, the mismatch is reported; force re-embeds into it; back on embedded everything is there', async () => {
    const env = { VECTOR_DB_PROVIDER: 'chromadb', VECTOR_DB_CHROMA_URL: chroma.url, VECTOR_DB_CHROMA_COLLECTION: 'fresh' };
    const moved = await startTestService(env, data.path);
    await moved.service.idle();
    const status = await moved.service.getStatus();
    expect(status.vector).toMatchObject({ provider: 'chromadb', available: true });
    expect(status.mismatch).toMatchObject({ documents: 20, vectorDocuments: 0, rowsWithoutVectors: 20, message: expect.stringContaining('Nothing was re-embedded') });
    const repairs = async () => (await moved.service.listJobs()).filter((j) => j.note?.includes('vectors were missing'));
    expect(await repairs()).toEqual([]);
    expect(await libraryOf(moved.service)).toEqual(before);

    // The user decides: the relational store is the truth, re-embed what the vector store lacks.
    const report = await moved.service.reconcileStores({ force: true });
    expect(report).toMatchObject({ orphansRemoved: 0, repairsQueued: 20 });
    expect(report.mismatch).toBeUndefined();
    await moved.service.idle();
    expect((await repairs()).map((j) => j.state)).toEqual(Array(20).fill('done'));
    expect((await moved.service.getStatus()).mismatch).toBeUndefined();
    expect((await moved.service.search({ query: 'who won the championship game', mode: 'vector', k: 1 })).hits[0]?.documentName).toBe('football.txt');
    await moved.service.close();
    expect(await embeddedVectors(data.path)).toBe(20);

    const back = await startTestService({}, data.path);
    await back.service.idle();
    expect((await back.service.getStatus()).mismatch).toBeUndefined();
    expect(await libraryOf(back.service)).toEqual(before);
    expect(await answersOf(back.service)).toEqual(answersBefore);
    await back.service.close();
  });
});
