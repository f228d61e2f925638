import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexStatus } from '../../core/api/types';
import { DB_FILE } from '../../core/service/providers';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startPgvector, type PgvectorService } from '../services/pgvectorServer';

const TOPIC_BYTES = Object.values(TOPICS).reduce((n, text) => n + Buffer.byteLength(text), 0);

describe('Status figures on the embedded stores', () => {
  const files = tempDir();
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    files.cleanup();
  });

  it('counts documents, chunks, vectors and keyword chunks per store', async () => {
    const status = await t.service.getStatus();
    const docs = await t.service.listDocuments();
    const chunks = docs.reduce((n, d) => n + d.chunkCount, 0);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(status.counts).toEqual({ documents: 4, chunks, vectors: chunks, keywordChunks: chunks });
    expect(status).toMatchObject({ documents: 4, chunks });
  });

  it('reports the last ingestion run with its pace', async () => {
    const { lastIngest } = (await t.service.getStatus()).metrics;
    expect(lastIngest).toMatchObject({ files: 4, failed: 0 });
    expect(lastIngest!.chunks).toBeGreaterThanOrEqual(4);
    expect(lastIngest!.seconds).toBeGreaterThan(0);
    expect(lastIngest!.filesPerSecond).toBeCloseTo(4 / lastIngest!.seconds, 1);
    expect(Date.now() - Date.parse(lastIngest!.finishedAt)).toBeLessThan(60_000);
  });

  it('sizes the SQLite file with its log and the kept originals; embedded vectors are not counted twice', async () => {
    const { storage, pool } = (await t.service.getStatus()).metrics;
    const db = join(t.dataDir, DB_FILE);
    const onDisk = statSync(db).size + (statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    expect(storage.relationalBytes).toBeGreaterThan(0);
    expect(Math.abs(storage.relationalBytes! - onDisk)).toBeLessThan(1 << 20); // the log may grow between the two reads
    expect(storage.vectorBytes).toBeUndefined();
    expect(storage.notes.join(' ')).toMatch(/Embedded vectors live in the SQLite file/);
    expect(storage.filesBytes).toBe(TOPIC_BYTES);
    expect(pool).toBeUndefined();
  });

  it('measures search latency over every mode; a failed search is not counted', async () => {
    const before = (await t.service.getStatus()).metrics.search;
    await t.service.search({ query: 'who won the championship game' });
    await t.service.search({ query: 'chlorophyll', mode: 'keyword' });
    await t.service.search({ query: 'baking bread', mode: 'vector' });
    await expect(t.service.search({ query: 'tax', filters: { since: 'not a date' } })).rejects.toThrow();
    const after = (await t.service.getStatus()).metrics.search;
    expect(after.count).toBe(before.count + 3);
    expect(after.recent.slice(-3).map((r) => r.mode)).toEqual(['hybrid', 'keyword', 'vector']);
    expect(after.p50Ms).toBeGreaterThan(0);
    expect(after.p50Ms).toBeLessThanOrEqual(after.p95Ms);
    expect(after.p95Ms).toBeLessThanOrEqual(after.p99Ms);
    expect(after.p99Ms).toBe(Math.max(...after.recent.map((r) => r.ms)));
  });

  it('records the build time of a model change re-index', async () => {
    const finished = new Promise<ReindexStatus>((resolve) => t.service.on('reindexProgress', (p) => p.state !== 'running' && resolve(p)));
    await t.service.updateSettings({ embedding: { model: 'qckstrt/glove-sg-100d-v2' } });
    expect(await finished).toMatchObject({ state: 'done' });
    const status = await t.service.getStatus();
    expect(status.metrics.indexBuild).toMatchObject({ kind: 'reindex', documents: 4, vectors: status.counts.vectors });
    expect(status.metrics.indexBuild!.ms).toBeGreaterThan(0);
  });
});

describe('Status figures on PostgreSQL + pgvector', { timeout: 120_000 }, () => {
  let pg: PgvectorService;
  const files = tempDir();
  const data = tempDir();
  beforeAll(async () => {
    pg = await startPgvector();
  }, 240_000);
  afterAll(async () => {
    await pg?.dispose();
    files.cleanup();
    data.cleanup();
  });

  const env = () => ({
    RELATIONAL_DB_PROVIDER: 'postgres',
    RELATIONAL_DB_HOST: pg.host,
    RELATIONAL_DB_PORT: String(pg.port),
    RELATIONAL_DB_DATABASE: pg.database,
    RELATIONAL_DB_USERNAME: pg.user,
    VECTOR_DB_PROVIDER: 'pgvector',
  });

  it('reports pool use and the tables’ sizes in the database, and survives the server going away', async () => {
    const t = await startTestService(env(), data.path);
    try {
      await indexAndWait(t.service, writeFiles(files.path, TOPICS));
      const status = await t.service.getStatus();
      expect(status.counts).toMatchObject({ documents: 4, vectors: status.counts.chunks, keywordChunks: status.counts.chunks });
      const { pool, storage } = status.metrics;
      expect(pool).toBeDefined();
      expect(pool!.max).toBe(10);
      expect(pool!.total).toBeGreaterThanOrEqual(1);
      expect(pool!.total).toBeLessThanOrEqual(pool!.max);
      expect(pool!.idle).toBeLessThanOrEqual(pool!.total);
      expect(pool!.waiting).toBe(0);
      // Tables with their indexes: a few 8 kB pages each at least, the HNSW/vector table too.
      expect(storage.relationalBytes).toBeGreaterThan(8192 * 6);
      expect(storage.vectorBytes).toBeGreaterThan(8192);
      expect(storage.notes.join(' ')).toMatch(/whole database takes \d+ bytes/);
      expect(storage.filesBytes).toBe(TOPIC_BYTES);

      await pg.stop();
      const started = performance.now();
      const down = await t.service.getStatus();
      expect(performance.now() - started).toBeLessThan(15_000);
      expect(down.relational.available).toBe(false);
      expect(down.vector.available).toBe(false);
      expect(down.counts).toEqual({ documents: 0, chunks: 0, vectors: 0, keywordChunks: 0 });
      expect(down.metrics.storage.relationalBytes).toBeUndefined();
      expect(down.metrics.storage.vectorBytes).toBeUndefined();
      expect(down.metrics.storage.notes.join(' ')).toMatch(/not reachable/);
      expect(down.metrics.storage.filesBytes).toBe(TOPIC_BYTES);
      await pg.start();
    } finally {
      await t.service.close();
    }
  });
});
