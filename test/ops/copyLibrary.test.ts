import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { CopyCheckpoint } from '../../core/ops/copyCheckpoint';
import { catchUpLibrary, copyLibrary, countStores, inspectTarget, verifyCopy, type CopyLibraryDeps } from '../../core/ops/copyLibrary';
import { LOCAL_USER } from '../../core/service/kbService';
import { openStores, type Stores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { LIBRARY } from '../helpers/library';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

async function open(dataDir: string): Promise<Stores> {
  const stores = openStores(settingsSchema.parse({}), dataDir);
  await stores.relational.connect();
  await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
  await stores.vector.connect(100); // the bundled GloVe model's dimension
  return stores;
}

describe('copying a library between stores', () => {
  const source = tempDir();
  const files = tempDir();
  const opened: Stores[] = [];
  let from: Stores;

  beforeAll(async () => {
    const t = await startTestService({}, source.path);
    await t.service.ingestFiles({ paths: writeFiles(files.path, LIBRARY) });
    await t.service.idle();
    await t.service.close();
    from = await open(source.path);
    opened.push(from);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    source.cleanup();
    files.cleanup();
  });

  async function target(): Promise<{ stores: Stores; dir: string; deps: (over?: Partial<CopyLibraryDeps>) => CopyLibraryDeps }> {
    const dir = tempDir();
    const stores = await open(dir.path);
    opened.push(stores);
    const checkpointPath = join(dir.path, 'checkpoint.json');
    return {
      stores,
      dir: dir.path,
      deps: (over = {}) => ({
        userId: LOCAL_USER.id,
        source: from,
        target: stores,
        moves: { relational: true, vector: true },
        checkpoint: CopyCheckpoint.open(checkpointPath, 'a', 'b'),
        ...over,
      }),
    };
  }

  it('copies rows, text, outline, keyword chunks, vectors and jobs; a stopped copy resumes; the catch-up follows changes and deletions', async () => {
    const to = await target();
    const abort = new AbortController();
    await expect(
      copyLibrary(to.deps({ signal: abort.signal, onProgress: (p) => p.documentsDone === 7 && abort.abort() })),
    ).rejects.toMatchObject({ kind: 'Cancelled', message: expect.stringContaining('resume') });
    expect(await to.stores.relational.countDocuments(LOCAL_USER.id)).toBe(7);
    expect(await inspectTarget(to.deps(), new Set((await from.relational.listDocuments(LOCAL_USER.id)).map((d) => d.id)))).toBe('partial');

    const deps = to.deps();
    const progress = await copyLibrary(deps);
    expect(progress).toMatchObject({ resumed: 7, documentsDone: 20, documentsTotal: 20 });

    // Meanwhile indexing changed one document and deleted another in the source.
    const docs = await from.relational.listDocuments(LOCAL_USER.id);
    const plants = docs.find((d) => d.name === 'plants.md')!;
    const taxes = docs.find((d) => d.name === 'taxes.txt')!;
    const text = (await from.relational.getDocumentContent(plants.id))!;
    await from.relational.saveDocument({ ...plants, name: 'plants-renamed.md', updatedAt: new Date(Date.now() + 1000).toISOString() }, text, await from.relational.getDocumentOutline(plants.id));
    await from.vector.deleteByDocument(taxes.id);
    await from.relational.deleteDocument(taxes.id);
    expect(await catchUpLibrary(deps, progress)).toEqual({ copied: 1, removed: 1 });

    const counts = await verifyCopy(deps);
    expect(counts).toEqual(await countStores(from, LOCAL_USER.id));
    expect(counts).toMatchObject({ documents: 19, chunks: 19, vectors: 19, keywordChunks: 19 });
    const copied = await to.stores.relational.listDocuments(LOCAL_USER.id);
    expect(copied.map((d) => [d.id, d.name, d.contentHash, d.chunkCount]).sort()).toEqual(
      (await from.relational.listDocuments(LOCAL_USER.id)).map((d) => [d.id, d.name, d.contentHash, d.chunkCount]).sort(),
    );
    expect(copied.find((d) => d.id === plants.id)?.name).toBe('plants-renamed.md');
    const cooking = copied.find((d) => d.name === 'cooking.md')!;
    expect(await to.stores.relational.getDocumentContent(cooking.id)).toBe(await from.relational.getDocumentContent(cooking.id));
    expect(await to.stores.relational.getDocumentOutline(cooking.id)).toEqual(await from.relational.getDocumentOutline(cooking.id));
    expect(await to.stores.relational.keywordChunkCounts()).toEqual(await from.relational.keywordChunkCounts());
    expect((await to.stores.relational.listJobs(LOCAL_USER.id, 100)).map((j) => j.id).sort()).toEqual(
      (await from.relational.listJobs(LOCAL_USER.id, 100)).map((j) => j.id).sort(),
    );
    // The vectors are the very same numbers: a query scores every chunk identically in both
    // (sorted by id: the near-identical notes tie, and ties may come in any order).
    const embedding = await (async () => {
      for await (const d of from.vector.scanDocuments()) if (d.documentId === cooking.id) return d.chunks[0]!.embedding;
      throw new Error('cooking.md has no vectors');
    })();
    const scores = async (s: Stores) => (await s.vector.query(embedding, LOCAL_USER.id, 50)).map((m) => `${m.chunkId} ${m.score.toFixed(5)}`).sort();
    expect(await scores(to.stores)).toEqual(await scores(from));
    expect((await to.stores.vector.query(embedding, LOCAL_USER.id, 1))[0]?.documentId).toBe(cooking.id);
  });

  it('copies only the side that moves, and a verification mismatch fails', async () => {
    const to = await target();
    // Only the vectors move: the relational side of the target is the source's own store.
    const deps = to.deps({ moves: { relational: false, vector: true }, target: { relational: from.relational, vector: to.stores.vector } });
    const progress = await copyLibrary(deps);
    await catchUpLibrary(deps, progress);
    expect(await to.stores.relational.countDocuments(LOCAL_USER.id)).toBe(0);
    await verifyCopy(deps);
    const victim = (await from.relational.listDocuments(LOCAL_USER.id))[0]!;
    await to.stores.vector.deleteByDocument(victim.id);
    await expect(verifyCopy(deps)).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringMatching(/vectors \d+ → \d+.*nothing was switched/) });
  });

  it('calls a target that holds another library occupied, and an empty one empty', async () => {
    const to = await target();
    const ids = new Set((await from.relational.listDocuments(LOCAL_USER.id)).map((d) => d.id));
    expect(await inspectTarget(to.deps(), ids)).toBe('empty');
    const other = (await from.relational.listDocuments(LOCAL_USER.id))[0]!;
    await to.stores.relational.saveDocument({ ...other, id: '00000000-0000-4000-8000-000000000001', sourceKey: '/elsewhere' }, 'another library');
    expect(await inspectTarget(to.deps(), ids)).toBe('occupied');
  });
});
