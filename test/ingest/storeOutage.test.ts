import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStats } from '../../core/api/types';
import { writeMixedCorpus } from '../helpers/documents';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { usePgvectorServer } from '../services/pgvectorHarness';

const FILES = 40;

/**
 * A store that goes away mid-indexing: the queue waits (nothing fails), says what it waits for,
 * search says ProviderUnavailable, and when the server is back the queue resumes by itself and
 * every file ends indexed exactly once.
 */
describe('a backend server stops in the middle of indexing', { timeout: 240_000 }, () => {
  const pg = usePgvectorServer();
  let chroma: ChromaService;
  const dirs: { cleanup(): void }[] = [];
  beforeAll(async () => {
    chroma = await startChroma();
  }, 120_000);
  afterAll(async () => {
    await chroma?.dispose();
    dirs.forEach((d) => d.cleanup());
  });

  async function indexWhileStopping(database: string, vectorEnv: Record<string, string>, server: { stop(): Promise<void>; start(): Promise<void> }): Promise<void> {
    await pg.createDatabase(database);
    const data = tempDir('qckstrt-outage-data-');
    const docs = tempDir('qckstrt-outage-docs-');
    dirs.push(data, docs);
    const env = {
      RELATIONAL_DB_PROVIDER: 'postgres',
      RELATIONAL_DB_HOST: pg.server.host,
      RELATIONAL_DB_PORT: String(pg.server.port),
      RELATIONAL_DB_DATABASE: database,
      RELATIONAL_DB_USERNAME: pg.server.user,
      ...vectorEnv,
    };
    const corpus = await writeMixedCorpus(docs.path, { files: FILES, seed: `outage-${database}` });
    let t: TestService | undefined = await startTestService(env, data.path);
    try {
      const waits: NonNullable<IngestStats['waitingFor']>[] = [];
      t.service.on('ingestStats', (s) => {
        if (s.waitingFor) waits.push(s.waitingFor);
      });
      await t.service.ingestFiles({ paths: [docs.path] });
      // Stop the server once a few files are in.
      while ((await t.service.listDocuments()).length < 5) await new Promise((r) => setTimeout(r, 50));
      await server.stop();
      await expect.poll(() => waits.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect(t.service.search({ query: 'garden', mode: 'hybrid' })).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
      // Nothing fails while it is away.
      await new Promise((r) => setTimeout(r, 1_500));
      await server.start();
      await t.service.idle();

      const jobs = await t.service.listJobs();
      expect(jobs.filter((j) => j.state !== 'done').map((j) => `${j.fileName}: ${j.state} ${j.error?.message ?? ''}`)).toEqual([]);
      expect(jobs).toHaveLength(FILES);
      const docsNow = await t.service.listDocuments();
      expect(new Set(docsNow.map((d) => d.sourcePath))).toEqual(new Set(corpus.paths));
      expect(docsNow).toHaveLength(FILES);
      const status = await t.service.getStatus();
      expect(status.counts.vectors).toBe(status.counts.chunks);
      expect(status.counts.keywordChunks).toBe(status.counts.chunks);
      expect((await t.service.search({ query: 'garden', mode: 'hybrid' })).hits.length).toBeGreaterThan(0);
    } finally {
      await t?.dispose();
      t = undefined;
    }
  }

  it('ChromaDB: indexing waits for it and finishes when it returns', async () => {
    await indexWhileStopping('outage_chroma', { VECTOR_DB_PROVIDER: 'chromadb', VECTOR_DB_CHROMA_URL: chroma.url, VECTOR_DB_CHROMA_COLLECTION: 'outage' }, chroma);
  });

  it('PostgreSQL (with pgvector): indexing waits for it and finishes when it returns', async () => {
    await indexWhileStopping('outage_pgvector', { VECTOR_DB_PROVIDER: 'pgvector' }, pg.server);
  });
});
