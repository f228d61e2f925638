import { afterAll, describe, expect, it } from 'vitest';
import { chunkRanking, COMMON_SCAN_LIMIT } from '../../core/search/commonWords';
import { parseKeywordQuery, type KeywordQuery } from '../../core/search/keywordQuery';
import { tempDir } from '../helpers/tempDir';
import { chunksOf, doc, search as searchFor, sqliteStoreIn } from '../relational/keywordFixtures';

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
    const store = await sqliteStoreIn(dir.path, 'u');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const text = `alpha ${'alpha '.repeat(i % 3)}note ${i}`;
      const record = doc('u', `n${i}.txt`, { size: text.length });
      await store.saveDocument(record, text, undefined, chunksOf(text, text.length));
      ids.push(record.id);
    }
    const search = searchFor('alpha', { limit: 20 });
    const all = await store.searchKeywordChunks('u', search);
    expect(all).toHaveLength(12);
    const sampled = await store.searchKeywordChunks('u', { ...search, scanLimit: 5 });
    expect(new Set(sampled.map((c) => c.documentId))).toEqual(new Set(ids.slice(-5)));
    // Still ranked by BM25 among them, best first.
    expect(sampled.map((c) => c.score)).toEqual([...sampled.map((c) => c.score)].sort((a, b) => b - a));
    await store.close();
  });
});
