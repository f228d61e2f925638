import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateVectors } from '../../core/ops/migrateVectors';
import { openSqlite, type SqliteDb } from '../../core/relational/sqliteDatabase';
import { embeddedVectorStore } from '../../core/relational/sqliteProvider';
import type { VectorStore } from '../../core/vector/types';
import { chunk, clusteredVectors } from '../contract/vectorFixtures';
import { tempDir } from '../helpers/tempDir';

const dir = tempDir();
const dbs: SqliteDb[] = [];
afterAll(() => {
  dbs.forEach((d) => d.close());
  dir.cleanup();
});

async function store(name: string): Promise<VectorStore> {
  const db = openSqlite(join(dir.path, `${name}.sqlite`));
  dbs.push(db);
  const s = embeddedVectorStore(db);
  await s.connect(16);
  return s;
}

describe('migrateVectors', () => {
  it('copies every vector without re-embedding, resumes after an interruption, and verifies the counts', async () => {
    const from = await store('from');
    const vectors = clusteredVectors(600, 16, 6, 3);
    for (let d = 0; d < 60; d++) {
      await from.upsert(d % 2 ? 'u1' : 'u2', `doc-${d}`, vectors.slice(d * 10, d * 10 + 10).map((e, i) => chunk(`doc-${d}`, i, e)));
    }
    const to = await store('to');
    const checkpointPath = join(dir.path, 'checkpoint.json');

    const abort = new AbortController();
    await expect(
      migrateVectors(from, to, {
        checkpointPath,
        signal: abort.signal,
        onProgress: (p) => p.documentsDone === 30 && abort.abort(),
      }),
    ).rejects.toMatchObject({ kind: 'Cancelled', message: expect.stringContaining('resume') });
    expect(existsSync(checkpointPath)).toBe(true);
    const partial = await to.count();
    expect(partial).toBe(300);

    const result = await migrateVectors(from, to, { checkpointPath });
    expect(result).toMatchObject({ resumed: 30, documentsDone: 60, vectorsCopied: 300, sourceVectors: 600, targetVectors: 600 });
    // The copies are the same vectors: a query answers identically from both stores.
    const q = vectors[123]!;
    const [a, b] = [await from.query(q, 'u1', 5), await to.query(q, 'u1', 5)];
    expect(b.map((h) => h.chunkId)).toEqual(a.map((h) => h.chunkId));
    expect(b[0]!.score).toBeCloseTo(a[0]!.score, 5);
  });

  it('carries each chunk\'s location (heading path, pages) and leaves chunks without one without', async () => {
    const from = await store('from-located');
    const to = await store('to-located');
    const vectors = clusteredVectors(6, 16, 2, 4);
    const locationOf = (i: number) => (i % 2 ? undefined : { headingPath: ['Part', `Section ${i}`], pageStart: i + 1, pageEnd: i + 2 });
    const chunks = vectors.map((e, i) => ({ ...chunk('doc', i, e), ...(locationOf(i) ? { location: locationOf(i) } : {}) }));
    await from.upsert('u', 'doc', chunks);
    await migrateVectors(from, to, { checkpointPath: join(dir.path, 'cp-located.json') });
    const copied = [];
    for await (const d of to.scanDocuments()) copied.push(...d.chunks);
    expect(copied.map((c) => c.location)).toEqual(vectors.map((_, i) => locationOf(i)));
    expect((await to.query(vectors[2]!, 'u', 1))[0]!.location).toEqual(locationOf(2));
  });

  it('refuses to start a fresh migration into a store that already holds vectors', async () => {
    const from = await store('from2');
    const to = await store('to2');
    await to.upsert('u', 'x', [chunk('x', 0, clusteredVectors(1, 16, 1)[0]!)]);
    await expect(migrateVectors(from, to, { checkpointPath: join(dir.path, 'cp2.json') })).rejects.toMatchObject({
      kind: 'ValidationError',
      message: expect.stringContaining('already holds 1 vectors'),
    });
  });
});
