import { describe, expect, it, vi } from 'vitest';
import type { DocumentSummary, IngestAccepted, JobProgress, PublicSettings, SearchHit } from '../../../core/api';
import { orderedJobs, summariseBatch } from '../logic/jobs';
import { fakeClient, ok } from '../testing/fakeClient';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';

const job = (id: string, patch: Partial<JobProgress> = {}): JobProgress => ({
  jobId: id,
  batchId: 'srv',
  fileName: `${id}.md`,
  state: 'queued',
  chunksDone: 0,
  chunksTotal: 0,
  updatedAt: new Date().toISOString(),
  ...patch,
});
const doc = (id: string): DocumentSummary => ({
  id,
  name: `${id}.md`,
  mimeType: 'text/markdown',
  size: 10,
  chunkCount: 1,
  contentHash: 'h',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
});
const hit = (documentId: string): SearchHit => ({
  documentId,
  documentName: `${documentId}.md`,
  chunkId: `${documentId}#0`,
  chunkIndex: 0,
  snippet: 's',
  score: 0.5,
  charStart: 0,
  charEnd: 1,
});
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ingestion slice: browser uploads', () => {
  it('queues every file locally, then uploads them one at a time in order', async () => {
    const inFlight: string[] = [];
    let maxConcurrent = 0;
    const { client, calls } = fakeClient({
      ingestUpload: async (input) => {
        const { name } = input as { name: string };
        inFlight.push(name);
        maxConcurrent = Math.max(maxConcurrent, inFlight.length);
        await flush();
        inFlight.splice(inFlight.indexOf(name), 1);
        if (name === 'bad.pdf') return { ok: false, error: { kind: 'UnsupportedFile', message: 'PDF is not supported' } };
        const accepted: IngestAccepted = { batchId: `b-${name}`, jobs: [job(`srv-${name}`, { batchId: `b-${name}`, fileName: name })] };
        return ok(accepted);
      },
    });
    const store = createKbStore(client);
    store.getState().uploadFiles([new File(['a'], 'a.md'), new File(['b'], 'bad.pdf'), new File(['c'], 'c.txt')]);

    // Immediately: three local queued rows, in order.
    const first = orderedJobs(store.getState().jobBook);
    expect(first.map((j) => [j.fileName, j.state])).toEqual([
      ['a.md', 'queued'],
      ['bad.pdf', 'queued'],
      ['c.txt', 'queued'],
    ]);

    await vi.waitFor(() => expect(store.getState().uploadingJobId).toBeNull());
    await flush();
    expect(maxConcurrent).toBe(1);
    expect(calls.filter((c) => c.method === 'ingestUpload').map((c) => (c.input as { name: string }).name)).toEqual([
      'a.md',
      'bad.pdf',
      'c.txt',
    ]);
    const upload = calls[0]?.input as { bytes: Uint8Array };
    expect(new TextDecoder().decode(upload.bytes)).toBe('a');

    const s = store.getState();
    const rows = orderedJobs(s.jobBook);
    expect(rows.map((j) => j.jobId)).toEqual(['srv-a.md', rows[1]!.jobId, 'srv-c.txt']);
    expect(rows[1]).toMatchObject({ fileName: 'bad.pdf', state: 'failed', error: { kind: 'UnsupportedFile' } });
    expect(s.batchJobIds).toEqual(rows.map((j) => j.jobId));

    // Progress events finish the batch.
    s.applyProgress(job('srv-a.md', { batchId: 'b-a.md', fileName: 'a.md', state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
    s.applyProgress(job('srv-c.txt', { batchId: 'b-c.txt', fileName: 'c.txt', state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
    const after = store.getState();
    const summary = summariseBatch(after.batchJobIds.map((id) => after.jobBook.jobs[id]!));
    expect(summary).toMatchObject({ total: 3, indexed: 2, failed: 1, finished: true });
  });

  it('fails the rest of the queue at once when the server is unreachable', async () => {
    const { client, calls } = fakeClient({
      ingestUpload: () => ({ ok: false, error: { kind: 'ProviderUnavailable', message: 'The qckstrt server is not reachable: x' } }),
    });
    const store = createKbStore(client);
    store.getState().uploadFiles([new File(['a'], 'a.md'), new File(['b'], 'b.md')]);
    await vi.waitFor(() => expect(orderedJobs(store.getState().jobBook).every((j) => j.state === 'failed')).toBe(true));
    expect(calls.filter((c) => c.method === 'ingestUpload')).toHaveLength(1);
  });

  it('refuses a file over the configured size before reading it', async () => {
    const settings = { ingest: { maxFileSizeMb: 1 } } as unknown as PublicSettings;
    const { client, calls } = fakeClient({ getSettings: () => ok(settings) });
    const store = createKbStore(client);
    await store.getState().refreshSettings();
    store.getState().uploadFiles([new File([new Uint8Array(2 * 1024 * 1024)], 'huge.md')]);
    await vi.waitFor(() => expect(orderedJobs(store.getState().jobBook)[0]?.state).toBe('failed'));
    expect(orderedJobs(store.getState().jobBook)[0]?.error?.kind).toBe('FileTooLarge');
    expect(calls.some((c) => c.method === 'ingestUpload')).toBe(false);
  });
});

describe('ingestion slice: Electron paths', () => {
  it('sends paths, adds the accepted batch, and reports an empty drop', async () => {
    const { client, calls } = fakeClient({
      ingestFiles: () => ok({ batchId: 'b', jobs: [job('j1', { batchId: 'b' }), job('j2', { batchId: 'b' })] }),
    });
    const store = createKbStore(client);
    await store.getState().ingestPaths(['/a.md', '/dir', '/a.md', '']);
    expect(calls[0]).toEqual({ method: 'ingestFiles', input: { paths: ['/a.md', '/dir'] } });
    expect(store.getState().batchJobIds).toEqual(['j1', 'j2']);

    await store.getState().ingestPaths(['']);
    expect(store.getState().ingestError?.kind).toBe('ValidationError');
    expect(calls).toHaveLength(1);
  });

  it('joins a new drop to the running batch, starts afresh once it finished', async () => {
    let n = 0;
    const { client } = fakeClient({
      ingestFiles: () => {
        n++;
        return ok({ batchId: `b${n}`, jobs: [job(`j${n}`, { batchId: `b${n}` })] });
      },
    });
    const store = createKbStore(client);
    await store.getState().ingestPaths(['/1']);
    await store.getState().ingestPaths(['/2']);
    expect(store.getState().batchJobIds).toEqual(['j1', 'j2']);
    for (const id of ['j1', 'j2']) store.getState().applyProgress(job(id, { state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
    await store.getState().ingestPaths(['/3']);
    expect(store.getState().batchJobIds).toEqual(['j3']);
  });
});

describe('search slice', () => {
  it('ignores an answer that arrives after a newer search', async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    const { client } = fakeClient({
      search: (input) =>
        new Promise((resolve) =>
          resolvers.push(() => resolve(ok({ query: (input as { query: string }).query, hits: [hit((input as { query: string }).query)], tookMs: 1, model: 'm' }))),
        ),
    });
    const store = createKbStore(client);
    store.getState().setQuery('first');
    const p1 = store.getState().runSearch();
    store.getState().setQuery('second');
    const p2 = store.getState().runSearch();
    resolvers[1]!(null);
    await p2;
    resolvers[0]!(null);
    await p1;
    expect(store.getState().resultsFor).toBe('second');
    expect(store.getState().results.map((h) => h.documentId)).toEqual(['second']);
  });

  it('shows an error state, and does not call the core for a blank query', async () => {
    const { client, calls } = fakeClient({
      search: () => ({ ok: false, error: { kind: 'ModelUnavailable', message: 'no model' } }),
    });
    const store = createKbStore(client);
    store.getState().setQuery('   ');
    await store.getState().runSearch();
    expect(calls).toHaveLength(0);
    expect(store.getState().searchStatus).toBe('idle');
    store.getState().setQuery('x');
    await store.getState().runSearch();
    expect(store.getState()).toMatchObject({ searchStatus: 'error', searchError: { kind: 'ModelUnavailable' } });
  });
});

describe('library slice', () => {
  it('deletes, drops the document and its results, and refreshes', async () => {
    let docs = [doc('a'), doc('b')];
    const { client, calls } = fakeClient({
      listDocuments: () => ok(docs),
      deleteDocument: (input) => {
        const { id } = input as { id: string };
        docs = docs.filter((d) => d.id !== id);
        return ok({ id, deleted: true });
      },
      getStatus: () => ({ ok: false, error: { kind: 'Internal', message: 'n/a' } }),
    });
    const store = createKbStore(client);
    await store.getState().refreshDocuments();
    store.setState({ results: [hit('a'), hit('b')] });
    expect(await store.getState().deleteDocument('a')).toBe(true);
    expect(store.getState().documents.map((d) => d.id)).toEqual(['b']);
    expect(store.getState().results.map((h) => h.documentId)).toEqual(['b']);
    expect(store.getState().deleting).toEqual({});
    await flush();
    expect(calls.filter((c) => c.method === 'listDocuments')).toHaveLength(2);
  });

  it('keeps the document and shows the error when the delete fails', async () => {
    const { client } = fakeClient({
      listDocuments: () => ok([doc('a')]),
      deleteDocument: () => ({ ok: false, error: { kind: 'ProviderUnavailable', message: 'db down' } }),
    });
    const store = createKbStore(client);
    await store.getState().refreshDocuments();
    expect(await store.getState().deleteDocument('a')).toBe(false);
    expect(store.getState().documents).toHaveLength(1);
    expect(store.getState().libraryError?.kind).toBe('ProviderUnavailable');
  });
});

describe('connectStore', () => {
  it('loads everything, follows progress events, refreshes on documentsChanged, and unsubscribes', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeClient({
        listDocuments: () => ok([]),
        listJobs: () => ok([job('j1', { state: 'embedding' })]),
        getStatus: () => ({ ok: false, error: { kind: 'Internal', message: 'n/a' } }),
        getSettings: () => ({ ok: false, error: { kind: 'Internal', message: 'n/a' } }),
      });
      const store = createKbStore(fake.client);
      const off = connectStore(fake.client, store);
      await vi.runAllTimersAsync();
      expect(new Set(fake.calls.map((c) => c.method))).toEqual(new Set(['listDocuments', 'listJobs', 'getStatus', 'getSettings', 'listModels']));
      expect(store.getState().jobBook.jobs.j1?.state).toBe('embedding');

      fake.emit('ingestProgress', job('j1', { state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
      expect(store.getState().jobBook.jobs.j1?.state).toBe('done');

      const before = fake.calls.length;
      fake.emit('documentsChanged', { reason: 'indexed' });
      fake.emit('documentsChanged', { reason: 'indexed' });
      fake.emit('documentsChanged', { reason: 'indexed' });
      await vi.runAllTimersAsync();
      // Coalesced: one listDocuments and one getStatus for the burst.
      expect(fake.calls.slice(before).map((c) => c.method).sort()).toEqual(['getStatus', 'listDocuments']);

      off();
      expect(fake.listenerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
