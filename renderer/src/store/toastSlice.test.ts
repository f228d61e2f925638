import { describe, expect, it } from 'vitest';
import type { JobProgress, KbStatus, ReindexStatus } from '../../../core/api';
import { visibleReindex } from '../logic/modelActivity';
import { fakeClient, ok } from '../testing/fakeClient';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';

const job = (id: string, patch: Partial<JobProgress> = {}): JobProgress => ({
  jobId: id,
  batchId: 'b1',
  fileName: `${id}.md`,
  state: 'queued',
  chunksDone: 0,
  chunksTotal: 0,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});
const later = (n: number) => `2026-01-01T00:00:0${n}.000Z`;

describe('toasts for finished indexing runs', () => {
  it('toasts once when the last file of a dropped batch finishes, with a Show for failures', async () => {
    const { client, emit } = fakeClient({ ingestFiles: () => ok({ batchId: 'b1', jobs: [job('a'), job('b'), job('c')] }) });
    const store = createKbStore(client);
    const disconnect = connectStore(client, store);
    await store.getState().ingestPaths(['/notes']);
    expect(store.getState().toasts).toEqual([]);

    emit('ingestProgress', job('a', { state: 'done', updatedAt: later(1) }));
    emit('ingestProgress', job('b', { state: 'failed', error: { kind: 'UnsupportedFile', message: 'b.md is empty' }, updatedAt: later(2) }));
    expect(store.getState().toasts).toEqual([]);
    emit('ingestProgress', job('c', { state: 'done', updatedAt: later(3) }));
    expect(store.getState().toasts).toEqual([{ id: 1, text: 'Indexed 2 files · 1 failed', tone: 'bad', showFailures: true }]);

    // A late duplicate event changes nothing: no second toast.
    emit('ingestProgress', job('c', { state: 'done', updatedAt: later(4) }));
    expect(store.getState().toasts).toHaveLength(1);

    store.getState().dismissToast(1);
    expect(store.getState().toasts).toEqual([]);
    disconnect();
  });

  it('does not toast for jobs it only loaded from the core’s history', async () => {
    const { client } = fakeClient({ listJobs: () => ok([job('old', { state: 'done' })]) });
    const store = createKbStore(client);
    const disconnect = connectStore(client, store);
    await store.getState().refreshJobs();
    expect(Object.keys(store.getState().jobBook.jobs)).toEqual(['old']);
    expect(store.getState().toasts).toEqual([]);
    disconnect();
  });
});

describe('dismissing a failed model switch', () => {
  it('keeps it dismissed across status refreshes, but shows a new failure', async () => {
    const failed: ReindexStatus = { model: 'ollama/nomic-embed-text', state: 'failed', done: 0, total: 3, message: 'Ollama is not running' };
    let reindex = failed;
    const { client } = fakeClient({ getStatus: () => ok({ documents: 3, chunks: 9, reindex } as unknown as KbStatus) });
    const store = createKbStore(client);
    await store.getState().refreshStatus();
    store.getState().dismissReindexFailure();
    await store.getState().refreshStatus();
    expect(visibleReindex(store.getState().status?.reindex, store.getState().dismissedReindex)).toBeUndefined();
    reindex = { ...failed, message: 'Ollama closed the connection' };
    await store.getState().refreshStatus();
    expect(visibleReindex(store.getState().status?.reindex, store.getState().dismissedReindex)?.message).toBe('Ollama closed the connection');
  });
});
