import { describe, expect, it } from 'vitest';
import type { DocumentText } from '../../../core/api';
import { fakeClient, ok } from '../testing/fakeClient';
import { createKbStore } from './createKbStore';

const target = { documentId: 'd1', documentName: 'guide.md', chunkId: 'd1:2', charStart: 40, charEnd: 90, query: ' token ' };
const text = (id: string): DocumentText => ({ documentId: id, documentName: `${id}.md`, text: 'x', offset: 0, totalLength: 1, highlights: [] });

describe('reader slice', () => {
  it('loads the passage’s document with the query, then shows it', async () => {
    const { client, calls } = fakeClient({ readDocument: (input) => ok(text((input as { id: string }).id)) });
    const store = createKbStore(client);
    const p = store.getState().openReader(target);
    expect(store.getState().reader).toMatchObject({ status: 'loading', target });
    await p;
    expect(calls).toEqual([{ method: 'readDocument', input: { id: 'd1', charStart: 40, charEnd: 90, query: 'token' } }]);
    expect(store.getState().reader).toMatchObject({ status: 'ready', doc: text('d1'), error: null });
    store.getState().closeReader();
    expect(store.getState().reader).toBeNull();
  });

  it('ignores a document that arrives after another was opened or the reader closed', async () => {
    const answers: (() => void)[] = [];
    const { client } = fakeClient({
      readDocument: (input) => new Promise((resolve) => answers.push(() => resolve(ok(text((input as { id: string }).id))))),
    });
    const store = createKbStore(client);
    const first = store.getState().openReader(target);
    const second = store.getState().openReader({ documentId: 'd2', documentName: 'd2.md', chunkId: 'd2:0' });
    answers[1]!();
    await second;
    answers[0]!();
    await first;
    expect(store.getState().reader?.doc?.documentId).toBe('d2');
    const third = store.getState().openReader(target);
    store.getState().closeReader();
    answers[2]!();
    await third;
    expect(store.getState().reader).toBeNull();
  });

  it('shows why a document cannot be read, and refreshes the library when it is gone', async () => {
    const { client, calls } = fakeClient({
      readDocument: () => ({ ok: false, error: { kind: 'NotFound', message: 'No document with id d1' } }),
      listDocuments: () => ok([]),
    });
    const store = createKbStore(client);
    await store.getState().openReader({ documentId: 'd1', documentName: 'guide.md', chunkId: 'd1:0' });
    expect(calls[0]).toEqual({ method: 'readDocument', input: { id: 'd1' } });
    expect(store.getState().reader).toMatchObject({ status: 'error', error: { kind: 'NotFound' } });
    expect(calls.some((c) => c.method === 'listDocuments')).toBe(true);
  });
});
