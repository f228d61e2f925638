import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord, JobRecord, RelationalStore } from '../../core/relational/types';

export interface RelationalStoreHarness {
  /** A store on the (shared, initially empty) backend; `connect()` is the suite's to call. */
  open(): Promise<RelationalStore>;
  stopBackend(): Promise<void>;
  startBackend(): Promise<void>;
}

const doc = (over: Partial<DocumentRecord> = {}): DocumentRecord => {
  const id = over.id ?? randomUUID();
  return {
    id,
    userId: 'alice',
    name: 'notes.md',
    sourceKey: `/home/alice/${id}.md`,
    sourcePath: `/home/alice/${id}.md`,
    storageKey: 'ab'.repeat(32),
    contentHash: 'cd'.repeat(32),
    mimeType: 'text/markdown',
    size: 1234,
    chunkCount: 3,
    uploadedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
};

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: randomUUID(),
  kind: 'file',
  batchId: 'batch-1',
  userId: 'alice',
  fileName: 'a.md',
  sourceKey: '/a.md',
  sourcePath: '/a.md',
  storageKey: null,
  state: 'queued',
  chunksDone: 0,
  chunksTotal: 0,
  documentId: null,
  note: null,
  errorKind: null,
  errorMessage: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  ...over,
});

/** One contract suite for every RelationalStore provider, on its real backend. */
export function relationalStoreContract(name: string, harness: () => RelationalStoreHarness) {
  describe(`RelationalStore contract: ${name}`, () => {
    let h: RelationalStoreHarness;
    let store: RelationalStore;

    beforeAll(async () => {
      h = harness();
      store = await h.open();
      await store.connect();
      await store.connect(); // migrations run once; connecting again is harmless
      await store.ensureUser('alice', 'alice@example.test');
      await store.ensureUser('alice', 'alice@example.test');
      await store.ensureUser('bob', 'bob@example.test');
    });
    afterAll(async () => {
      await store?.close();
    });

    it('reports itself available, with a latency', async () => {
      expect(await store.isAvailable()).toMatchObject({ provider: store.provider, available: true });
    });

    it('saves, finds, lists, updates and deletes documents, with their content', async () => {
      const a = doc({ name: 'a.md', uploadedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
      const b = doc({ name: 'b.md', uploadedAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' });
      await store.saveDocument(a, 'alpha text');
      await store.saveDocument(b, 'beta text ✓ — ünïcode');
      await store.saveDocument(doc({ userId: 'bob', name: 'bob.md' }), 'bob');
      expect(await store.getDocument(a.id)).toEqual(a);
      expect(await store.getDocumentContent(b.id)).toBe('beta text ✓ — ünïcode');
      expect(await store.findDocumentBySource('alice', a.sourceKey)).toEqual(a);
      expect(await store.findDocumentBySource('bob', a.sourceKey)).toBeUndefined();
      expect((await store.listDocuments('alice')).map((d) => d.name)).toEqual(['b.md', 'a.md']);
      expect(await store.countDocuments('alice')).toBe(2);
      expect(await store.countDocuments('bob')).toBe(1);

      const changed = { ...a, contentHash: 'ef'.repeat(32), chunkCount: 7, updatedAt: '2026-02-01T00:00:00.000Z' };
      await store.saveDocument(changed, 'alpha v2');
      expect(await store.getDocument(a.id)).toEqual(changed);
      expect(await store.getDocumentContent(a.id)).toBe('alpha v2');

      expect(await store.deleteDocument(a.id)).toBe(true);
      expect(await store.deleteDocument(a.id)).toBe(false);
      expect(await store.getDocument(a.id)).toBeUndefined();
      expect(await store.getDocumentContent(a.id)).toBeUndefined();
    });

    it('keeps one document per user and source', async () => {
      const first = doc({ sourceKey: '/same.md' });
      await store.saveDocument(first, 'x');
      await expect(store.saveDocument(doc({ sourceKey: '/same.md' }), 'y')).rejects.toThrow();
      await store.saveDocument(doc({ userId: 'bob', sourceKey: '/same.md' }), 'z');
    });

    it('keeps a document outline with its text, and reports every document\'s chunk count', async () => {
      const outline = {
        headings: [{ level: 1, title: 'Intro ✓', charStart: 0, charEnd: 9 }],
        pages: [
          { page: 1, charStart: 0, charEnd: 20 },
          { page: 2, charStart: 22, charEnd: 40 },
        ],
      };
      const a = doc({ name: 'outlined.pdf', chunkCount: 4 });
      const b = doc({ name: 'plain.txt', userId: 'bob', chunkCount: 2 });
      await store.saveDocument(a, 'text with an outline', outline);
      await store.saveDocument(b, 'plain');
      expect(await store.getDocumentOutline(a.id)).toEqual(outline);
      expect(await store.getDocumentOutline(b.id)).toEqual({});
      expect(await store.getDocumentOutline(randomUUID())).toBeUndefined();
      const counts = await store.documentChunkCounts();
      expect(counts.get(a.id)).toBe(4);
      expect(counts.get(b.id)).toBe(2);
      await store.saveDocument({ ...a, chunkCount: 5 }, 'text, changed');
      expect(await store.getDocumentOutline(a.id)).toEqual({});
      expect((await store.documentChunkCounts()).get(a.id)).toBe(5);
    });

    it('keeps a job\'s kind, and counts cancelled jobs as finished', async () => {
      const repair = job({ kind: 'repair', fileName: 'repair.md', documentId: 'd-9', createdAt: '2026-02-01T00:00:00.000Z' });
      const plain = job({ fileName: 'cancel-me.md', createdAt: '2026-02-01T00:00:01.000Z' });
      await store.createJobs([repair, plain]);
      expect(await store.getJob(repair.id)).toMatchObject({ kind: 'repair', documentId: 'd-9' });
      await store.updateJob(plain.id, { state: 'cancelled', note: 'cancelled' });
      const unfinished = (await store.unfinishedJobs()).map((j) => j.id);
      expect(unfinished).toContain(repair.id);
      expect(unfinished).not.toContain(plain.id);
      await store.updateJob(repair.id, { state: 'done' });
    });

    it('runs the ingestion job queue: create, update, list, and find unfinished work', async () => {
      const q = job({ fileName: 'q.md', createdAt: '2026-03-01T00:00:00.000Z' });
      const r = job({ fileName: 'r.md', createdAt: '2026-03-01T00:00:01.000Z' });
      const done = job({ fileName: 'done.md', state: 'done', createdAt: '2026-03-01T00:00:02.000Z' });
      await store.createJobs([q, r, done]);
      expect(await store.getJob(q.id)).toEqual(q);
      const updated = await store.updateJob(r.id, { state: 'embedding', chunksTotal: 10, chunksDone: 4, documentId: 'd-1' });
      expect(updated).toMatchObject({ id: r.id, state: 'embedding', chunksTotal: 10, chunksDone: 4, documentId: 'd-1', fileName: 'r.md' });
      expect(updated.updatedAt >= r.updatedAt).toBe(true);
      const failed = await store.updateJob(q.id, { state: 'failed', errorKind: 'UnsupportedFile', errorMessage: 'nope' });
      expect(failed).toMatchObject({ errorKind: 'UnsupportedFile', errorMessage: 'nope' });
      expect((await store.unfinishedJobs()).map((j) => j.fileName)).toEqual(['r.md']);
      expect((await store.listJobs('alice', 2)).map((j) => j.fileName)).toEqual(['done.md', 'r.md']);
      expect(await store.listJobs('bob', 10)).toEqual([]);
      await expect(store.updateJob('no-such-job', { state: 'done' })).rejects.toMatchObject({ kind: 'NotFound' });
    });

    it('fails fast with ProviderUnavailable when the backend goes away, and keeps data across a restart', async () => {
      const before = await store.countDocuments('alice');
      await h.stopBackend();
      await expect(store.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
      expect((await store.isAvailable()).available).toBe(false);
      await store.close();
      await h.startBackend();
      store = await h.open();
      await store.connect();
      expect(await store.countDocuments('alice')).toBe(before);
    }, 60_000);
  });
}
