import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderChangeStatus } from '../../core/api/providerChange';
import { settingsSchema } from '../../core/api/settings';
import { LOCAL_USER } from '../../core/service/kbService';
import { openStores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { answersOf, LIBRARY, libraryOf } from '../helpers/library';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { startPostgres, type PostgresService } from '../services/postgres';

describe('moving the library to other providers (PostgreSQL, ChromaDB)', { timeout: 180_000 }, () => {
  let pg: PostgresService;
  let chroma: ChromaService;
  const files = tempDir();
  const dirs: { cleanup(): void }[] = [];
  let paths: string[];

  beforeAll(async () => {
    [pg, chroma] = await Promise.all([startPostgres(), startChroma()]);
    paths = writeFiles(files.path, LIBRARY);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([pg?.dispose(), chroma?.dispose()]);
    files.cleanup();
    dirs.forEach((d) => d.cleanup());
  });

  const postgresAt = (server: PostgresService, database: string) => ({
    relational: { provider: 'postgres' as const, postgres: { host: server.host, port: server.port, database, username: server.user } },
  });
  const chromaAt = (collection: string) => ({ vector: { provider: 'chromadb' as const, chromaUrl: chroma.url, chromaCollection: collection } });

  /** A service on the embedded default with the library indexed. */
  async function indexedService(): Promise<TestService> {
    const data = tempDir();
    dirs.push(data);
    const t = await startTestService({}, data.path);
    const jobs = await indexAndWait(t.service, paths);
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    return t;
  }

  it('copies SQLite → PostgreSQL (relational only) while search keeps answering, verifies, switches, and leaves the old store for switching back', async () => {
    const t = await indexedService();
    const [before, answersBefore] = [await libraryOf(t.service), await answersOf(t.service)];
    await pg.createDatabase('moved');
    const patch = postgresAt(pg, 'moved');

    await expect(t.service.updateSettings(patch)).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('planProviderChange') });
    const plan = await t.service.planProviderChange(patch);
    expect(plan).toMatchObject({
      changesStores: true,
      moves: { relational: true, vector: false },
      strategies: ['copy'],
      blockers: [],
      source: { documents: 20, chunks: 20, vectors: 20, keywordChunks: 20 },
      target: { documents: 0, chunks: 0, vectors: 20, keywordChunks: 0 },
      test: { relational: { provider: 'postgres', available: true } },
      to: { relational: 'postgres', relationalWhere: `PostgreSQL postgres@127.0.0.1:${pg.port}/moved` },
    });
    expect(plan.test.relational.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await t.service.getSettings()).toMatchObject({ relational: { provider: 'sqlite' } });

    const events: ProviderChangeStatus[] = [];
    let during: Promise<{ hit?: string; phase?: string }> | undefined;
    const off = t.service.on('providerChangeProgress', (s) => {
      events.push(s);
      // Search answers from the current stores while the copy runs.
      if (s.phase === 'copying' && !during) {
        during = t.service.search({ query: 'chlorophyll', mode: 'hybrid' }).then((r) => ({ hit: r.hits[0]?.documentName, phase: events.at(-1)?.phase }));
      }
    });
    const done = await t.service.applyProviderChange({ patch, strategy: 'copy' });
    off();
    expect(done).toMatchObject({ state: 'done', phase: 'finished', strategy: 'copy', documentsDone: 20, documentsTotal: 20 });
    expect(done.message).toContain('Verified');
    expect(await during).toMatchObject({ hit: 'plants.md' });
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['connecting', 'copying', 'catching-up', 'verifying', 'switching', 'finished']));
    expect((await t.service.getStatus()).providerChange).toMatchObject({ state: 'done' });

    const status = await t.service.getStatus();
    expect(status.relational).toMatchObject({ provider: 'postgres', available: true });
    // Status's index build time is the copy's.
    expect(status.metrics.indexBuild).toMatchObject({ kind: 'copy', documents: 20 });
    expect(status.metrics.indexBuild!.ms).toBeGreaterThan(0);
    expect(await libraryOf(t.service)).toEqual(before);
    expect(await answersOf(t.service)).toEqual(answersBefore);
    expect((await t.service.search({ query: 'chlorophyll', mode: 'keyword' })).hits.map((h) => h.documentName)).toEqual(['plants.md']);

    // A non-identity change (pool size) is a plain settings update: it reconnects.
    await t.service.updateSettings({ relational: { postgres: { poolMax: 4 } } });
    expect((await t.service.search({ query: 'chlorophyll', mode: 'keyword' })).hits[0]?.documentName).toBe('plants.md');

    // The SQLite rows are untouched, so the plan back finds them and offers to use them as they are.
    const old = openStores(settingsSchema.parse({}), t.dataDir);
    await old.relational.connect();
    expect(await old.relational.countDocuments(LOCAL_USER.id)).toBe(20);
    await old.close();
    const back = await t.service.planProviderChange({ relational: { provider: 'sqlite' } });
    expect(back).toMatchObject({ strategies: ['switch'], target: { documents: 20 } });
    await expect(t.service.applyProviderChange({ patch: { relational: { provider: 'sqlite' } }, strategy: 'copy' })).rejects.toMatchObject({ kind: 'ValidationError' });
    await t.service.applyProviderChange({ patch: { relational: { provider: 'sqlite' } }, strategy: 'switch' });
    expect((await t.service.getSettings()).relational.provider).toBe('sqlite');
    expect(await libraryOf(t.service)).toEqual(before);
    await t.service.close();
  });

  it('copies embedded → ChromaDB (vectors only); a cancelled copy keeps the old stores and the next apply resumes it', async () => {
    const t = await indexedService();
    const [before, answersBefore] = [await libraryOf(t.service), await answersOf(t.service)];
    const patch = chromaAt('moved-vectors');
    expect(await t.service.planProviderChange(patch)).toMatchObject({ moves: { relational: false, vector: true }, strategies: ['copy', 'reindex'], target: { vectors: 0, documents: 20 } });

    // Cancel as soon as some documents are copied (or, if the copy is quicker than the progress
    // events, as it catches up: then it stops before switching).
    const off = t.service.on('providerChangeProgress', (s) => {
      if (s.documentsDone > 0 || s.phase === 'catching-up') void t.service.cancelProviderChange();
    });
    await expect(t.service.applyProviderChange({ patch, strategy: 'copy' })).rejects.toMatchObject({ kind: 'Cancelled' });
    off();
    expect((await t.service.getStatus()).providerChange).toMatchObject({ state: 'cancelled' });
    expect((await t.service.getSettings()).vector.provider).toBe('embedded');
    expect(await answersOf(t.service)).toEqual(answersBefore);

    const plan = await t.service.planProviderChange(patch);
    expect(plan.resumable?.documentsDone).toBeGreaterThan(0);
    const done = await t.service.applyProviderChange({ patch, strategy: 'copy' });
    expect(done.state).toBe('done');
    expect(done.resumed).toBeGreaterThan(0);
    expect(done.resumed).toBeLessThanOrEqual(20);
    const status = await t.service.getStatus();
    expect(status.vector).toMatchObject({ provider: 'chromadb', available: true });
    expect(await libraryOf(t.service)).toEqual(before);
    expect(await answersOf(t.service)).toEqual(answersBefore);

    // Indexing goes on, into the new store.
    const extra = writeFiles(files.path, { 'extra/volcano.md': '# Volcanoes\n\nLava and ash erupt from the crater of the volcano.\n' });
    expect((await indexAndWait(t.service, extra)).map((j) => j.state)).toEqual(['done']);
    expect((await t.service.search({ query: 'lava eruption', mode: 'vector', k: 1 })).hits[0]?.documentName).toBe('volcano.md');
    await t.service.close();
  });

  it('a failed apply (the target server stops mid-copy) leaves the old settings and stores in force, with the reason', async () => {
    const t = await indexedService();
    const answersBefore = await answersOf(t.service);
    const doomed = await startPostgres({ database: 'doomed' });
    try {
      const patch = postgresAt(doomed, 'doomed');
      let stopping: Promise<void> | undefined;
      const off = t.service.on('providerChangeProgress', (s) => {
        if (s.phase === 'copying' && !stopping) stopping = doomed.stop();
      });
      const failed = t.service.applyProviderChange({ patch, strategy: 'copy' });
      await expect(failed).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('Not switched') });
      off();
      await stopping;
      const status = await t.service.getStatus();
      expect(status.providerChange).toMatchObject({ state: 'failed', message: expect.stringContaining('stay in use') });
      expect(status.relational).toMatchObject({ provider: 'sqlite', available: true });
      expect((await t.service.getSettings()).relational.provider).toBe('sqlite');
      expect(await answersOf(t.service)).toEqual(answersBefore);
      // Indexing resumed on the old stores.
      const extra = writeFiles(files.path, { 'failed/comet.md': '# Comets\n\nA comet trails a tail of ice and dust past the sun.\n' });
      expect((await indexAndWait(t.service, extra)).map((j) => j.state)).toEqual(['done']);
    } finally {
      await doomed.dispose();
      await t.service.close();
    }
  });
});
