import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { startChroma, type ChromaService } from '../services/chroma';
import { startPostgres, type PostgresService } from '../services/postgres';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

describe('switching providers on real servers', () => {
  let pg: PostgresService;
  let chroma: ChromaService;
  const files = tempDir();
  const data = tempDir();

  beforeAll(async () => {
    [pg, chroma] = await Promise.all([startPostgres(), startChroma()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([pg?.dispose(), chroma?.dispose()]);
    files.cleanup();
    data.cleanup();
  });

  const remote = () => ({
    relational: { provider: 'postgres' as const, postgres: { host: pg.host, port: pg.port, database: pg.database, username: pg.user } },
    vector: { provider: 'chromadb' as const, chromaUrl: chroma.url, chromaCollection: 'switch-test' },
  });

  it('tests a connection without applying it, and refuses to switch to a server that is down', async () => {
    const t = await startTestService({}, data.path);
    const ok = await t.service.testConnection(remote());
    expect(ok.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(ok.vector).toMatchObject({ provider: 'chromadb', available: true });
    expect((await t.service.getSettings()).relational.provider).toBe('sqlite');

    const down = { ...remote(), vector: { ...remote().vector, chromaUrl: 'http://127.0.0.1:9' } };
    const bad = await t.service.testConnection(down);
    expect(bad.vector).toMatchObject({ available: false, message: expect.stringContaining('127.0.0.1:9') });
    await expect(t.service.applyProviderChange({ patch: down, strategy: 'switch' })).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('Not switched') });
    expect((await t.service.getSettings()).vector.provider).toBe('embedded');
    await t.service.close();
  });

  it('switches to PostgreSQL + ChromaDB, indexes and searches there, and keeps the choice across a restart', async () => {
    const t = await startTestService({}, data.path);
    // An empty library: the plan has nothing to copy and offers to use the new stores as they are.
    expect((await t.service.planProviderChange(remote())).strategies).toEqual(['switch']);
    await t.service.applyProviderChange({ patch: remote(), strategy: 'switch' });
    const status = await t.service.getStatus();
    expect(status.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(status.vector).toMatchObject({ provider: 'chromadb', available: true });

    const paths = writeFiles(files.path, TOPICS);
    const jobs = await indexAndWait(t.service, paths);
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    const res = await t.service.search({ query: 'who won the championship game', k: 3 });
    expect(res.hits[0]?.documentName).toBe('football.txt');
    // With Chroma holding the vectors, the keywords come from PostgreSQL's index.
    const keyword = await t.service.search({ query: 'chlorophyll', mode: 'keyword' });
    expect(keyword.hits.map((h) => h.documentName)).toEqual(['plants.md']);
    expect(keyword.hits[0]?.snippet.slice(...(keyword.hits[0].highlights[0] as [number, number]))).toBe('chlorophyll');
    await t.service.close();

    const again = await startTestService({}, data.path);
    expect((await again.service.getStatus()).relational.provider).toBe('postgres');
    expect(await again.service.listDocuments()).toHaveLength(4);
    const doc = (await again.service.listDocuments()).find((d) => d.name === 'plants.md')!;
    await again.service.deleteDocument({ id: doc.id });
    expect((await again.service.getStatus()).chunks).toBe(3);
    await again.service.close();
  });
});

describe('kb migrate-vectors', { timeout: 120_000 }, () => {
  let chroma: ChromaService;
  const data = tempDir();
  const files = tempDir();
  beforeAll(async () => {
    chroma = await startChroma();
  }, 60_000);
  afterAll(async () => {
    await chroma?.dispose();
    data.cleanup();
    files.cleanup();
  });

  const kb = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, QCKSTRT_DATA_DIR: data.path, VECTOR_DB_CHROMA_URL: chroma.url, VECTOR_DB_CHROMA_COLLECTION: 'migrated' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('copies the embedded vectors into ChromaDB without re-embedding, verifies the counts and switches', () => {
    writeFiles(files.path, TOPICS);
    expect(kb('index', files.path).status).toBe(0);
    const res = kb('migrate-vectors', '--from', 'embedded', '--to', 'chromadb', '--switch', '--json');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ from: 'embedded', to: 'chromadb', sourceVectors: 4, targetVectors: 4, switched: true });
    const status = JSON.parse(kb('status', '--json').stdout);
    expect(status.vector).toMatchObject({ provider: 'chromadb', available: true });
    expect(status.chunks).toBe(4);
    const hits = JSON.parse(kb('search', 'recipe for making a loaf in the oven', '--json').stdout).hits;
    expect(hits[0].documentName).toBe('cooking.md');
    expect(kb('migrate-vectors', '--from', 'embedded', '--to', 'embedded').status).toBe(5);
  });
});
