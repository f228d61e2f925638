/**
 * SQLite keyword reads leave the owner clause out of the MATCH when every row is the searching
 * user's (sqliteKeywords.ts `withinUser`); once another user has rows, each user must still see
 * only their own chunks, documents and word counts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RelationalStore } from '../../core/relational/types';
import { tempDir } from '../helpers/tempDir';
import { chunksOf, doc, search as searchFor, sqliteStoreIn } from '../relational/keywordFixtures';

/** A one-chunk document of `userId`'s; its id. */
async function add(store: RelationalStore, userId: string, text: string): Promise<string> {
  const record = doc(userId, `${userId}.txt`, { size: text.length });
  await store.saveDocument(record, text, undefined, chunksOf(text, text.length));
  return record.id;
}

describe('SQLite keyword reads of a library of one user, then of two', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('finds and counts only the searching user\'s rows, with or without other users', async () => {
    const store = await sqliteStoreIn(dir.path, 'u', 'v');
    const search = searchFor('glacier valley', { limit: 20 });
    const mine = [
      await add(store, 'u', 'A glacier carved this valley.'),
      await add(store, 'u', 'The glacier glacier melts every summer.'),
      await add(store, 'u', 'Valley farms grow apples.'),
    ];
    const alone = {
      chunks: await store.searchKeywordChunks('u', search),
      docs: await store.searchKeywordDocuments('u', search),
      counts: await store.keywordFrequencies('u', ['glacier', 'valley', 'apples']),
    };
    expect(new Set(alone.chunks.map((c) => c.documentId))).toEqual(new Set(mine));
    expect(new Set(alone.docs.map((d) => d.documentId))).toEqual(new Set(mine));
    expect(alone.counts).toEqual([2, 2, 1]);

    // Another user's rows, with the same words and more of them.
    const theirs = [await add(store, 'v', 'Glacier valley glacier valley.'), await add(store, 'v', 'A valley of glacier lakes and apples.')];
    const chunks = await store.searchKeywordChunks('u', search);
    expect(new Set(chunks.map((c) => c.documentId))).toEqual(new Set(mine));
    expect(new Set((await store.searchKeywordDocuments('u', search)).map((d) => d.documentId))).toEqual(new Set(mine));
    expect(await store.keywordFrequencies('u', ['glacier', 'valley', 'apples'])).toEqual([2, 2, 1]);
    // The same order as when alone (BM25's statistics are the whole table's, so scores move together).
    expect(chunks.map((c) => c.documentId)).toEqual(alone.chunks.map((c) => c.documentId));
    expect(new Set((await store.searchKeywordChunks('v', search)).map((c) => c.documentId))).toEqual(new Set(theirs));
    expect(await store.keywordFrequencies('v', ['glacier', 'valley', 'apples'])).toEqual([2, 2, 1]);

    // When the other user's documents are gone, the library is one user's again.
    for (const id of theirs) await store.deleteDocument(id);
    expect(await store.keywordFrequencies('u', ['glacier', 'valley', 'apples'])).toEqual([2, 2, 1]);
    expect((await store.searchKeywordChunks('u', search)).map((c) => c.score)).toEqual(alone.chunks.map((c) => c.score));
    await store.close();
  });
});
