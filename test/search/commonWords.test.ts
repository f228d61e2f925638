import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { sqliteRelationalStore } from '../../core/relational/sqliteProvider';
import type { DocumentRecord } from '../../core/relational/types';
import { chunkRanking, COMMON_SCAN_LIMIT } from '../../core/search/commonWords';
import { parseKeywordQuery, type KeywordQuery } from '../../core/search/keywordQuery';
import { DEFAULT_KEYWORD_WEIGHTS } from '../../core/search/keywordText';
import { tempDir } from '../helpers/tempDir';

const counts = (byWord: Record<string, number>) => async (words: string[]) => words.map((w) => byWord[w] ?? 0);
const total = (n: number) => async () => n;
const words = (q: KeywordQuery) => q.clauses.map((c) => c.text);

describe('chunkRanking', () => {
  const big = COMMON_SCAN_LIMIT * 4;

  it('leaves out words in more than half of the chunks when the query has other words', async () => {
    const r = await chunkRanking(parseKeywordQuery('sauce cases medieval'), counts({ sauce: big * 0.6, cases: big * 0.55, medieval: 900 }), total(big));
    expect(words(r.query)).toEqual(['medieval']);
    expect(r.scanLimit).toBeUndefined();
  });

  it('ranks a bounded sample when every word is that common, keeping the words', async () => {
    const r = await chunkRanking(parseKeywordQuery('sauce cases'), counts({ sauce: big * 0.6, cases: big * 0.55 }), total(big));
    expect(words(r.query)).toEqual(['sauce', 'cases']);
    expect(r.scanLimit).toBe(COMMON_SCAN_LIMIT);
  });

  it('changes nothing in a small library, for words in half of the chunks or fewer, or for phrases and identifiers', async () => {
    const small = await chunkRanking(parseKeywordQuery('sauce cases'), counts({ sauce: 900, cases: 800 }), total(1000));
    expect(words(small.query)).toEqual(['sauce', 'cases']);
    expect(small.scanLimit).toBeUndefined();
    const half = await chunkRanking(parseKeywordQuery('sauce medieval'), counts({ sauce: big / 2, medieval: 10 }), total(big));
    expect(words(half.query)).toEqual(['sauce', 'medieval']);
    const kept = await chunkRanking(parseKeywordQuery('"sauce cases" readFile sauce'), counts({ sauce: big, cases: big, readfile: big, read: big, file: big }), total(big));
    expect(words(kept.query)).toEqual(['sauce cases', 'readFile']);
  });

  it('asks for the chunk count only when some word is in more than the sample', async () => {
    const never = async (): Promise<number> => {
      throw new Error('counted');
    };
    const r = await chunkRanking(parseKeywordQuery('rare words'), counts({ rare: 10, words: COMMON_SCAN_LIMIT }), never);
    expect(words(r.query)).toEqual(['rare', 'words']);
  });
});

describe('SQLite chunk ranking with a scan limit', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('ranks only the newest matching chunks', async () => {
    const path = join(dir.path, 'kb.sqlite');
    const store = sqliteRelationalStore(openSqlite(path), path);
    await store.connect();
    await store.ensureUser('u', 'u@example.test');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = randomUUID();
      const text = `alpha ${'alpha '.repeat(i % 3)}note ${i}`;
      const doc: DocumentRecord = {
        id, userId: 'u', name: `n${i}.txt`, sourceKey: `/k/${id}`, sourcePath: `/k/${id}`, storageKey: 'ab'.repeat(32), contentHash: 'cd'.repeat(32),
        mimeType: 'text/plain', size: text.length, chunkCount: 1, uploadedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
      };
      await store.saveDocument(doc, text, undefined, [{ chunkIndex: 0, content: text, charStart: 0, charEnd: text.length }]);
      ids.push(id);
    }
    const search = { query: parseKeywordQuery('alpha'), limit: 20, weights: DEFAULT_KEYWORD_WEIGHTS };
    const all = await store.searchKeywordChunks('u', search);
    expect(all).toHaveLength(12);
    const sampled = await store.searchKeywordChunks('u', { ...search, scanLimit: 5 });
    expect(new Set(sampled.map((c) => c.documentId))).toEqual(new Set(ids.slice(-5)));
    // Still ranked by BM25 among them, best first.
    expect(sampled.map((c) => c.score)).toEqual([...sampled.map((c) => c.score)].sort((a, b) => b - a));
    await store.close();
  });
});
