import { afterAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { LOCAL_USER } from '../../core/service/kbService';
import { openStores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { answersOf, LIBRARY, libraryOf } from '../helpers/library';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { usePgvectorServer } from '../services/pgvectorHarness';

describe('moving the embedded library to PostgreSQL + pgvector', { timeout: 240_000 }, () => {
  const pg = usePgvectorServer();
  const files = tempDir();
  const dirs: { cleanup(): void }[] = [];
  afterAll(() => {
    files.cleanup();
    dirs.forEach((d) => d.cleanup());
  });

  const consolidated = (database: string) => ({
    relational: { provider: 'postgres' as const, postgres: { host: pg.server.host, port: pg.server.port, database, username: pg.server.user } },
    vector: { provider: 'pgvector' as const },
  });

  async function indexedService(): Promise<TestService> {
    const data = tempDir();
    dirs.push(data);
    const t = await startTestService({}, data.path);
    const jobs = await indexAndWait(t.service, writeFiles(files.path, LIBRARY));
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    return t;
  }

  it('copies rows and vectors (without re-embedding) into one PostgreSQL database, leaves SQLite intact, and offers to switch back', async () => {
    const t = await indexedService();
    const [before, answersBefore] = [await libraryOf(t.service), await answersOf(t.service)];
    await pg.createDatabase('consolidated');
    const patch = consolidated('consolidated');
    const plan = await t.service.planProviderChange(patch);
    expect(plan).toMatchObject({
      moves: { relational: true, vector: true },
      strategies: ['copy', 'reindex'],
      target: { documents: 0, chunks: 0, vectors: 0, keywordChunks: 0 },
      test: { relational: { provider: 'postgres', available: true }, vector: { provider: 'pgvector', available: true } },
    });
    const started = performance.now();
    const done = await t.service.applyProviderChange({ patch, strategy: 'copy' });
    console.log(`copy of ${done.documentsDone} documents / ${done.vectorsCopied} vectors to postgres+pgvector: ${(performance.now() - started).toFixed(0)} ms`);
    expect(done).toMatchObject({ state: 'done', documentsDone: 20, vectorsCopied: 20 });
    const status = await t.service.getStatus();
    expect(status.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(status.vector).toMatchObject({ provider: 'pgvector', available: true });
    expect(await libraryOf(t.service)).toEqual(before);
    expect(await answersOf(t.service)).toEqual(answersBefore);
    const keyword = await t.service.search({ query: 'chlorophyll', mode: 'keyword' });
    expect(keyword.hits.map((h) => h.documentName)).toEqual(['plants.md']);
    expect(keyword.hits[0]?.snippet.slice(...(keyword.hits[0].highlights[0] as [number, number]))).toBe('chlorophyll');

    // The embedded stores are as they were.
    const old = openStores(settingsSchema.parse({}), t.dataDir);
    await old.relational.connect();
    await old.vector.connect(100);
    expect([await old.relational.countDocuments(LOCAL_USER.id), await old.vector.count(LOCAL_USER.id)]).toEqual([20, 20]);
    await old.close();
    const back = { relational: { provider: 'sqlite' as const }, vector: { provider: 'embedded' as const } };
    expect(await t.service.planProviderChange(back)).toMatchObject({ strategies: ['switch'], target: { documents: 20, vectors: 20 } });
    await t.service.close();
  });

  it('re-indexes into PostgreSQL + pgvector from the stored text: the same library and answers', async () => {
    const t = await indexedService();
    const [before, answersBefore] = [await libraryOf(t.service), await answersOf(t.service)];
    await pg.createDatabase('reindexed');
    const done = await t.service.applyProviderChange({ patch: consolidated('reindexed'), strategy: 'reindex' });
    expect(done).toMatchObject({ state: 'done', strategy: 'reindex', documentsDone: 20, vectorsCopied: 20 });
    expect((await t.service.getStatus()).vector).toMatchObject({ provider: 'pgvector' });
    expect(await libraryOf(t.service)).toEqual(before);
    expect(await answersOf(t.service)).toEqual(answersBefore);
    await t.service.close();
  });
});
