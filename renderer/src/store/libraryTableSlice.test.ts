import { describe, expect, it } from 'vitest';
import type { DocumentSummary, JobProgress } from '../../../core/api';
import { selectAll } from '../logic/librarySelection';
import { fakeClient, ok } from '../testing/fakeClient';
import { searchHit } from '../testing/searchHit';
import { createKbStore } from './createKbStore';

const doc = (id: string): DocumentSummary => ({
  id,
  name: `${id}.md`,
  sourcePath: `/notes/${id}.md`,
  mimeType: 'text/markdown',
  size: 10,
  chunkCount: 1,
  contentHash: id,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const queued = (documentId: string): JobProgress => ({
  jobId: `job-${documentId}`,
  batchId: 'b',
  fileName: `${documentId}.md`,
  state: 'queued',
  chunksDone: 0,
  chunksTotal: 0,
  documentId,
  updatedAt: '2026-02-01T00:00:00.000Z',
});

async function loaded(handlers: Parameters<typeof fakeClient>[0] = {}, docs = [doc('a'), doc('b'), doc('c')]) {
  const fake = fakeClient({ listDocuments: () => ok(docs), ...handlers });
  const store = createKbStore(fake.client);
  await store.getState().refreshDocuments();
  return { ...fake, store };
}

describe('library table: sort, filter, selection', () => {
  it('starts newest first, flips on a second click, and keeps filters', () => {
    const store = createKbStore(fakeClient().client);
    expect(store.getState().librarySort).toEqual({ key: 'added', dir: 'desc' });
    store.getState().sortLibrary('size');
    expect(store.getState().librarySort).toEqual({ key: 'size', dir: 'desc' });
    store.getState().sortLibrary('size');
    expect(store.getState().librarySort).toEqual({ key: 'size', dir: 'asc' });
    store.getState().setLibraryFilter({ text: 'garden' });
    store.getState().setLibraryFilter({ type: 'pdf' });
    expect(store.getState().libraryFilter).toEqual({ text: 'garden', type: 'pdf' });
  });

  it('prunes the selection to the rows shown, keeping the same object when nothing changed', () => {
    const store = createKbStore(fakeClient().client);
    store.getState().setLibrarySelection(selectAll(store.getState().librarySelection, ['a', 'b', 'c']));
    const before = store.getState().librarySelection;
    store.getState().pruneLibrarySelection(['a', 'b', 'c', 'd']);
    expect(store.getState().librarySelection).toBe(before);
    store.getState().pruneLibrarySelection(['b']);
    expect([...store.getState().librarySelection.ids]).toEqual(['b']);
  });
});

describe('library table: delete selected', () => {
  it('deletes in one call, drops the rows, their results and the selection, then refreshes and says so', async () => {
    const { store, calls, handlers } = await loaded({ deleteDocuments: () => ok({ deleted: 2, missing: 0 }) });
    store.setState({ results: [searchHit('a'), searchHit('c')] });
    store.getState().setLibrarySelection(selectAll(store.getState().librarySelection, ['a', 'b', 'c']));
    handlers.listDocuments = () => ok([doc('c')]);
    const pending = store.getState().deleteLibraryDocuments(['a', 'b']);
    expect(store.getState().libraryAction).toBe('deleting');
    expect(await pending).toBe(true);
    expect(calls.filter((c) => c.method === 'deleteDocuments')).toEqual([{ method: 'deleteDocuments', input: { ids: ['a', 'b'] } }]);
    const s = store.getState();
    expect(s.libraryAction).toBeNull();
    expect(s.documents.map((d) => d.id)).toEqual(['c']);
    expect(s.results.map((h) => h.documentId)).toEqual(['c']);
    expect([...s.librarySelection.ids]).toEqual(['c']);
    expect(s.toasts.map((t) => t.text)).toEqual(['Deleted 2 documents']);
    expect(calls.filter((c) => c.method === 'listDocuments').length).toBe(2);
  });

  it('says how many were already gone', async () => {
    const { store } = await loaded({ deleteDocuments: () => ok({ deleted: 1, missing: 1 }) });
    await store.getState().deleteLibraryDocuments(['a', 'x']);
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['Deleted 1 document · 1 was already gone']);
  });

  it('keeps everything and shows the error when the core refuses', async () => {
    const error = { kind: 'ProviderUnavailable' as const, message: 'PostgreSQL at db:5432 is not answering.' };
    const { store } = await loaded({ deleteDocuments: () => ({ ok: false, error }) });
    expect(await store.getState().deleteLibraryDocuments(['a'])).toBe(false);
    expect(store.getState().documents).toHaveLength(3);
    expect(store.getState().libraryActionError).toEqual(error);
    expect(store.getState().libraryAction).toBeNull();
    store.getState().dismissLibraryActionError();
    expect(store.getState().libraryActionError).toBeNull();
  });

  it('does nothing for no ids, or while another action runs', async () => {
    const { store, calls } = await loaded({ deleteDocuments: () => ok({ deleted: 1, missing: 0 }) });
    expect(await store.getState().deleteLibraryDocuments([])).toBe(false);
    store.setState({ libraryAction: 'reindexing' });
    expect(await store.getState().deleteLibraryDocuments(['a'])).toBe(false);
    expect(calls.some((c) => c.method === 'deleteDocuments')).toBe(false);
  });
});

describe('library table: re-index selected', () => {
  it('queues them and puts their jobs in the book, so the rows say Queued at once', async () => {
    const { store, calls } = await loaded({ reindexDocuments: () => ok({ batchId: 'b', jobs: [queued('a'), queued('b')] }) });
    expect(await store.getState().reindexLibraryDocuments(['a', 'b'])).toBe(true);
    expect(calls.find((c) => c.method === 'reindexDocuments')?.input).toEqual({ ids: ['a', 'b'] });
    expect(Object.values(store.getState().jobBook.jobs).map((j) => [j.documentId, j.state])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
    ]);
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['Re-indexing 2 documents']);
  });

  it('a NotFound (a stale list) shows and refreshes the list', async () => {
    const { store, calls } = await loaded({ reindexDocuments: () => ({ ok: false, error: { kind: 'NotFound', message: 'No document with id a' } }) });
    const listed = calls.filter((c) => c.method === 'listDocuments').length;
    expect(await store.getState().reindexLibraryDocuments(['a'])).toBe(false);
    expect(store.getState().libraryActionError?.kind).toBe('NotFound');
    await Promise.resolve();
    expect(calls.filter((c) => c.method === 'listDocuments').length).toBe(listed + 1);
  });
});

describe('library table: reveal the original', () => {
  it('in the desktop app the shell showed it: nothing more to show', async () => {
    const { store, calls } = await loaded({ openDocument: () => ok({ opened: true, path: '/notes/a.md' }) });
    await store.getState().revealLibraryDocument('a');
    expect(calls.find((c) => c.method === 'openDocument')?.input).toEqual({ id: 'a', reveal: true });
    expect(store.getState().revealedPath).toBeNull();
    expect(store.getState().libraryAction).toBeNull();
  });

  it('in a browser keeps the path to show with its name, until dismissed or deleted', async () => {
    const { store } = await loaded({ openDocument: () => ok({ opened: false, path: '/notes/b.md' }), deleteDocuments: () => ok({ deleted: 1, missing: 0 }) });
    await store.getState().revealLibraryDocument('b');
    expect(store.getState().revealedPath).toEqual({ id: 'b', name: 'b.md', path: '/notes/b.md' });
    store.getState().dismissRevealedPath();
    expect(store.getState().revealedPath).toBeNull();
    await store.getState().revealLibraryDocument('b');
    await store.getState().deleteLibraryDocuments(['b']);
    expect(store.getState().revealedPath).toBeNull();
  });

  it('shows why it could not', async () => {
    const { store } = await loaded({ openDocument: () => ({ ok: false, error: { kind: 'NotFound', message: 'The original of a.md is no longer available' } }) });
    await store.getState().revealLibraryDocument('a');
    expect(store.getState().libraryActionError?.message).toContain('no longer available');
  });
});
