/**
 * SQLite keyword reads leave the owner clause out of the MATCH when every row is the searching
 * user's (sqliteKeywords.ts `withinUser`); once another user has rows, each user must still see
 * only their own chunks, documents and word counts.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { sqliteRelationalStore } from '../../core/relational/sqliteProvider';
import type { DocumentRecord, RelationalStore } from '../../core/relational/types';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { DEFAULT_KEYWORD_WEIGHTS } from '../../core/search/keywordText';
import { tempDir } from '../helpers/tempDir';

async function add(store: RelationalStore, userId: string, text: string): Promise<string> {
  const id = randomUUID();
  const doc: DocumentRecord = {
    id, userId, name: `${userId}-${id.slice(0, 6)}.txt`, sourceKey: `/k/${id}`, sourcePath: `/k/${id}`, storageKey: 'ab'.repeat(32),
    contentHash: 'cd'.repeat(32), mimeType: 'text/plain', size: text.length, chunkCount: 1,
    uploadedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  };
  await store.saveDocument(doc, text, undefined, [{ chunkIndex: 0, content: text, charStart: 0, charEnd: text.length }]);
  return id;
}

describe('SQLite keyword reads of a library of one user, then of two', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('finds and counts only the searching user\'s rows, with or without other users', async () => {
    const path = join(dir.path, 'kb.sqlite');
    const store = sqliteRelationalStore(openSqlite(path), path);
    await store.connect();
    await store.ensureUser('u', 'u@example.test');
    await store.ensureUser('v', 'v@example.test');
    const search = { query: parseKeywordQuery('glacier valley'), limit: 20, weights: DEFAULT_KEYWORD_WEIGHTS };
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
