import { describe, expect, it, vi } from 'vitest';
import type {
  DocumentSummary,
  IngestAccepted,
  IngestStats,
  JobProgress,
  KbStatus,
  PublicSettings,
  SearchHit,
  WatchedFolder,
} from '../../../core/api';
import { orderedJobs, summariseBatch } from '../logic/jobs';
import { fakeClient, ok } from '../testing/fakeClient';
import { searchHit, searchResponse } from '../testing/searchHit';
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
const hit = (documentId: string): SearchHit => searchHit(documentId);
const stats = (patch: Partial<IngestStats> = {}): IngestStats => ({
  paused: false,
  filesDone: 1,
  filesTotal: 4,
  failed: 0,
  chunksEmbedded: 10,
  filesPerSecond: 1,
  chunksPerSecond: 10,
  etaSeconds: 3,
  ...patch,
});
const status = (ingest: IngestStats): KbStatus =>
  ({ version: '0', documents: 0, chunks: 0, queue: { queued: 0, active: 0 }, ingest }) as unknown as KbStatus;
const watched = (path: string, patch: Partial<WatchedFolder> = {}): WatchedFolder => ({ path, include: [], exclude: [], active: true, ...patch });
const flush = () => new Promise((r) => setTimeout(r, 0));
const states = (store: ReturnType<typeof createKbStore>) => orderedJobs(store.getState().jobBook).map((j) => [j.jobId, j.state]);

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
          resolvers.push(() => {
            const { query } = input as { query: string };
            resolve(ok(searchResponse(query, [hit(query)])));
          }),
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
      expect(new Set(fake.calls.map((c) => c.method))).toEqual(
        new Set(['listDocuments', 'listJobs', 'getStatus', 'getSettings', 'listModels', 'listWatchedFolders', 'listBackups']),
      );
      expect(store.getState().jobBook.jobs.j1?.state).toBe('embedding');

      fake.emit('ingestProgress', job('j1', { state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
      expect(store.getState().jobBook.jobs.j1?.state).toBe('done');

      const before = fake.calls.length;
      fake.emit('documentsChanged', { reason: 'indexed' });
      fake.emit('documentsChanged', { reason: 'indexed' });
      fake.emit('documentsChanged', { reason: 'indexed' });
      await vi.runAllTimersAsync();
      // Coalesced: one listDocuments, one getStatus and one listWatchedFolders for the burst.
      expect(fake.calls.slice(before).map((c) => c.method).sort()).toEqual(['getStatus', 'listDocuments', 'listWatchedFolders']);

      off();
      expect(fake.listenerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ingestion slice: queue stats and pausing', () => {
  it('pauses and resumes, applying the stats the core answers, one request at a time', async () => {
    let release: () => void = () => {};
    const { client, calls } = fakeClient({
      pauseIngest: () => new Promise((resolve) => (release = () => resolve(ok(stats({ paused: true }))))),
      resumeIngest: () => ok(stats({ paused: false, filesDone: 2 })),
    });
    const store = createKbStore(client);
    const pausing = store.getState().setIngestPaused(true);
    expect(store.getState().pauseRequested).toBe('pause');
    await store.getState().setIngestPaused(false); // ignored while the pause is in flight
    release();
    await pausing;
    expect(store.getState()).toMatchObject({ pauseRequested: null, ingestStats: { paused: true }, ingestStatsVersion: 1 });
    await store.getState().setIngestPaused(false);
    expect(store.getState().ingestStats).toMatchObject({ paused: false, filesDone: 2 });
    expect(calls.map((c) => c.method)).toEqual(['pauseIngest', 'resumeIngest']);
  });

  it('shows a refused pause as an ingest error and keeps the stats', async () => {
    const { client } = fakeClient({ pauseIngest: () => ({ ok: false, error: { kind: 'ProviderUnavailable', message: 'down' } }) });
    const store = createKbStore(client);
    store.getState().applyIngestStats(stats());
    await store.getState().setIngestPaused(true);
    expect(store.getState()).toMatchObject({ pauseRequested: null, ingestError: { kind: 'ProviderUnavailable' }, ingestStats: { paused: false } });
  });

  it('takes stats from getStatus unless an event brought newer ones while it was in flight', async () => {
    let answer: (v: unknown) => void = () => {};
    const { client } = fakeClient({ getStatus: () => new Promise((resolve) => (answer = resolve)) as never });
    const store = createKbStore(client);

    let pending = store.getState().refreshStatus();
    answer(ok(status(stats({ filesDone: 1 }))));
    await pending;
    expect(store.getState().ingestStats?.filesDone).toBe(1);

    pending = store.getState().refreshStatus();
    store.getState().applyIngestStats(stats({ filesDone: 3 })); // the event, fresher than the snapshot
    answer(ok(status(stats({ filesDone: 2 }))));
    await pending;
    expect(store.getState().status).not.toBeNull();
    expect(store.getState().ingestStats?.filesDone).toBe(3);
  });
});

describe('ingestion slice: cancelling', () => {
  it('cancels one job of the core and marks it at once', async () => {
    const { client, calls } = fakeClient({
      ingestFiles: () => ok({ batchId: 'b', jobs: [job('j1', { batchId: 'b' }), job('j2', { batchId: 'b' })] }),
      cancelIngest: (input) => ok({ cancelled: (input as { jobId: string }).jobId === 'j1' ? 1 : 0 }),
    });
    const store = createKbStore(client);
    await store.getState().ingestPaths(['/d']);
    const p = store.getState().cancelJob('j1');
    expect(store.getState().cancelling).toEqual({ j1: true });
    await p;
    expect(calls.at(-1)).toEqual({ method: 'cancelIngest', input: { jobId: 'j1' } });
    expect(store.getState().cancelling).toEqual({});
    // j2 finished first (0 cancelled): it waits for its own progress event.
    await store.getState().cancelJob('j2');
    expect(states(store)).toEqual([
      ['j1', 'cancelled'],
      ['j2', 'queued'],
    ]);
    // The core's own event, later, still applies.
    store.getState().applyProgress(job('j2', { batchId: 'b', state: 'done', updatedAt: '2999-01-01T00:00:00Z' }));
    expect(states(store)[1]).toEqual(['j2', 'done']);
    // A finished job is not sent to the core again.
    const before = calls.length;
    await store.getState().cancelJob('j1');
    expect(calls).toHaveLength(before);
  });

  it('keeps the job and shows the error when the cancel is refused', async () => {
    const { client } = fakeClient({
      ingestFiles: () => ok({ batchId: 'b', jobs: [job('j1', { batchId: 'b' })] }),
      cancelIngest: () => ({ ok: false, error: { kind: 'Internal', message: 'no' } }),
    });
    const store = createKbStore(client);
    await store.getState().ingestPaths(['/d']);
    await store.getState().cancelJob('j1');
    expect(store.getState()).toMatchObject({ cancelling: {}, ingestError: { kind: 'Internal' } });
    expect(states(store)).toEqual([['j1', 'queued']]);
  });

  it('drops a browser upload that was not sent, and cancels in the core one that was being sent', async () => {
    let finishUpload: () => void = () => {};
    const { client, calls } = fakeClient({
      ingestUpload: (input) =>
        new Promise((resolve) => {
          const { name } = input as { name: string };
          finishUpload = () => resolve(ok({ batchId: `b-${name}`, jobs: [job(`srv-${name}`, { batchId: `b-${name}`, fileName: name })] }));
        }),
      cancelIngest: () => ok({ cancelled: 1 }),
    });
    const store = createKbStore(client);
    store.getState().uploadFiles([new File(['a'], 'a.md'), new File(['b'], 'b.md'), new File(['c'], 'c.md')]);
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'ingestUpload')).toHaveLength(1));
    const [first, second] = orderedJobs(store.getState().jobBook).map((j) => j.jobId);

    await store.getState().cancelJob(second!); // waiting in the browser: never sent
    expect(store.getState().jobBook.jobs[second!]?.state).toBe('cancelled');
    await store.getState().cancelJob(first!); // in flight: cancelled once the core has it
    expect(store.getState().cancelling).toEqual({ [first!]: true });
    expect(calls.some((c) => c.method === 'cancelIngest')).toBe(false);

    finishUpload();
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'ingestUpload')).toHaveLength(2));
    expect(calls.find((c) => c.method === 'cancelIngest')).toEqual({ method: 'cancelIngest', input: { batchId: 'b-a.md' } });
    expect(store.getState().jobBook.jobs['srv-a.md']?.state).toBe('cancelled');
    finishUpload();
    await vi.waitFor(() => expect(store.getState().uploadingJobId).toBeNull());
    expect(calls.filter((c) => c.method === 'ingestUpload').map((c) => (c.input as { name: string }).name)).toEqual(['a.md', 'c.md']);
    expect(states(store).map(([, st]) => st)).toEqual(['cancelled', 'cancelled', 'queued']);
    expect(store.getState().cancelling).toEqual({});
  });

  it('cancels everything: uploads not sent, the one in flight, and all unfinished jobs of the core', async () => {
    let finishUpload: () => void = () => {};
    const { client, calls } = fakeClient({
      ingestFiles: () => ok({ batchId: 'p', jobs: [job('p1', { batchId: 'p', state: 'done' }), job('p2', { batchId: 'p', state: 'embedding' })] }),
      ingestUpload: () => new Promise((resolve) => (finishUpload = () => resolve(ok({ batchId: 'u', jobs: [job('u1', { batchId: 'u' })] })))),
      cancelIngest: () => ok({ cancelled: 2 }),
    });
    const store = createKbStore(client);
    await store.getState().ingestPaths(['/p']);
    store.getState().uploadFiles([new File(['a'], 'a.md'), new File(['b'], 'b.md')]);
    await vi.waitFor(() => expect(store.getState().uploadingJobId).not.toBeNull());

    const p = store.getState().cancelAllJobs();
    expect(store.getState().cancellingAll).toBe(true);
    await p;
    expect(store.getState().cancellingAll).toBe(false);
    expect(calls.find((c) => c.method === 'cancelIngest')).toEqual({ method: 'cancelIngest', input: undefined });
    expect(store.getState().jobBook.jobs.p1?.state).toBe('done');
    expect(store.getState().jobBook.jobs.p2?.state).toBe('cancelled');

    finishUpload();
    await vi.waitFor(() => expect(store.getState().uploadingJobId).toBeNull());
    await flush();
    expect(calls.filter((c) => c.method === 'ingestUpload')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'cancelIngest').map((c) => c.input)).toEqual([undefined, { batchId: 'u' }]);
    expect(orderedJobs(store.getState().jobBook).filter((j) => j.state !== 'done').every((j) => j.state === 'cancelled')).toBe(true);
  });
});

describe('watched folders', () => {
  it('sends watch: true when keeping folders in sync, then reloads the watch list', async () => {
    const { client, calls } = fakeClient({
      ingestFiles: () => ok({ batchId: 'b', jobs: [job('j1', { batchId: 'b' })] }),
      listWatchedFolders: () => ok([watched('/notes')]),
    });
    const store = createKbStore(client);
    store.getState().setKeepInSync(true);
    await store.getState().ingestPaths(['/notes']);
    expect(calls.map((c) => c.method)).toEqual(['ingestFiles', 'listWatchedFolders']);
    expect(calls[0]?.input).toEqual({ paths: ['/notes'], watch: true });
    expect(store.getState().watchedFolders).toEqual([watched('/notes')]);

    store.getState().setKeepInSync(false);
    await store.getState().ingestPaths(['/other']);
    expect(calls.slice(2)).toEqual([{ method: 'ingestFiles', input: { paths: ['/other'] } }]);
  });

  it('does not reload the watch list when the ingest was refused', async () => {
    const { client, calls } = fakeClient({ ingestFiles: () => ({ ok: false, error: { kind: 'ValidationError', message: 'x' } }) });
    const store = createKbStore(client);
    store.getState().setKeepInSync(true);
    await store.getState().ingestPaths(['/notes']);
    expect(calls.map((c) => c.method)).toEqual(['ingestFiles']);
    expect(store.getState().ingestError?.kind).toBe('ValidationError');
  });

  it('stops watching a folder and shows the list the core answers', async () => {
    let list = [watched('/a'), watched('/b', { active: false, message: 'missing' })];
    const { client } = fakeClient({
      listWatchedFolders: () => ok(list),
      unwatchFolder: (input) => {
        list = list.filter((f) => f.path !== (input as { path: string }).path);
        return ok(list);
      },
    });
    const store = createKbStore(client);
    await store.getState().refreshWatchedFolders();
    const p = store.getState().unwatchFolder('/b');
    expect(store.getState().unwatching).toEqual({ '/b': true });
    expect(await p).toBe(true);
    expect(store.getState()).toMatchObject({ unwatching: {}, watchError: null, watchedFolders: [watched('/a')] });
  });

  it('reports a refused unwatch, and treats NotFound as done', async () => {
    let answer: { ok: false; error: { kind: 'ProviderUnavailable' | 'NotFound'; message: string } } = {
      ok: false,
      error: { kind: 'ProviderUnavailable', message: 'down' },
    };
    const { client, calls } = fakeClient({ unwatchFolder: () => answer, listWatchedFolders: () => ok([]) });
    const store = createKbStore(client);
    expect(await store.getState().unwatchFolder('/a')).toBe(false);
    expect(store.getState().watchError?.kind).toBe('ProviderUnavailable');
    store.getState().dismissWatchError();

    answer = { ok: false, error: { kind: 'NotFound', message: 'not watched' } };
    expect(await store.getState().unwatchFolder('/a')).toBe(true);
    expect(store.getState()).toMatchObject({ watchError: null, unwatching: {}, watchedFolders: [] });
    expect(calls.filter((c) => c.method === 'listWatchedFolders')).toHaveLength(2);
  });
});

describe('connectStore: queue stats', () => {
  it('starts from getStatus, then follows ingestStats events', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeClient({ getStatus: () => ok(status(stats({ filesDone: 1 }))), listWatchedFolders: () => ok([watched('/n')]) });
      const store = createKbStore(fake.client);
      const off = connectStore(fake.client, store);
      await vi.runAllTimersAsync();
      expect(store.getState().ingestStats?.filesDone).toBe(1);
      expect(store.getState().watchedFolders).toEqual([watched('/n')]);

      fake.emit('ingestStats', stats({ filesDone: 4, filesTotal: 4, paused: true }));
      expect(store.getState().ingestStats).toMatchObject({ filesDone: 4, paused: true });
      off();
      expect(fake.listenerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('search slice: opening a result', () => {
  const pdfHit: SearchHit = { ...hit('p'), documentName: 'report.pdf', location: { pageStart: 4, pageEnd: 5 } };

  it('desktop: asks the core (with the page) and shows nothing more when the shell opened it', async () => {
    const opened: string[] = [];
    const { client, calls } = fakeClient({ openDocument: () => ok({ opened: true, path: '/docs/report.pdf' }) });
    const store = createKbStore(client, { openUrl: (u) => opened.push(u), serverToken: () => null });
    const p = store.getState().openResult(pdfHit);
    expect(store.getState().opening).toEqual({ 'p#0': true });
    await p;
    expect(calls).toEqual([{ method: 'openDocument', input: { id: 'p', page: 4 } }]);
    expect(opened).toEqual([]);
    expect(store.getState()).toMatchObject({ opening: {}, openError: null });
  });

  it('desktop: shows the error when opening failed, and refreshes the library on NotFound', async () => {
    const { client, calls } = fakeClient({
      openDocument: () => ({ ok: false, error: { kind: 'NotFound', message: 'The original of a.md is no longer available' } }),
      listDocuments: () => ok([]),
    });
    const store = createKbStore(client);
    await store.getState().openResult(hit('a'));
    expect(calls[0]).toEqual({ method: 'openDocument', input: { id: 'a' } });
    expect(store.getState().openError).toEqual({ kind: 'NotFound', message: 'The original of a.md is no longer available' });
    await flush();
    expect(calls.some((c) => c.method === 'listDocuments')).toBe(true);
    store.getState().dismissOpenError();
    expect(store.getState().openError).toBeNull();
  });

  it('browser: opens the server URL in a new tab with the token, at the page for a PDF only', async () => {
    const opened: string[] = [];
    const { client } = fakeClient({
      openDocument: (input) => ok({ opened: false, url: `/api/documents/${(input as { id: string }).id}/file` }),
      listDocuments: () => ok([{ ...doc('p'), name: 'report.pdf', mimeType: 'application/pdf' }]),
    });
    const store = createKbStore(client, { openUrl: (u) => opened.push(u), serverToken: () => 'tok en' });
    await store.getState().refreshDocuments();
    await store.getState().openResult(pdfHit);
    await store.getState().openResult({ ...hit('m'), location: { pageStart: 2 } });
    expect(opened).toEqual(['/api/documents/p/file?token=tok%20en#page=4', '/api/documents/m/file?token=tok%20en']);
    expect(store.getState().openError).toBeNull();
  });

  it('reports an answer this window cannot act on', async () => {
    const { client } = fakeClient({ openDocument: () => ok({ opened: false, url: '/api/documents/a/file' }) });
    const store = createKbStore(client);
    await store.getState().openResult(hit('a'));
    expect(store.getState().openError?.kind).toBe('Internal');
  });
});
