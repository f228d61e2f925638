import type { KeywordQuery } from './keywordQuery';

/** How many of the newest matching chunks a query made only of common words ranks. */
export const COMMON_SCAN_LIMIT = 5000;

/** What chunk ranking searches for: the query, less its common words, or a bounded sample. */
export interface ChunkRanking {
  query: KeywordQuery;
  /** Rank only the newest this-many matching chunks (see KeywordSearch.scanLimit). */
  scanLimit?: number;
}

/**
 * Words in most of a library's chunks do not tell its chunks apart: BM25 gives them an IDF of
 * (almost) nothing — SQLite FTS5 and the PostgreSQL ranking both clamp it to 1e-6 once a word is
 * in half of the entries — yet ranking reads every chunk that holds them ("and the" over 125k
 * chunks: ~100 ms in FTS5). So chunk ranking leaves out the plain words that are in more than half
 * of the user's chunks and more than COMMON_SCAN_LIMIT of them, when the query has other words;
 * when it has none, it ranks the newest COMMON_SCAN_LIMIT matching chunks, whose order among all
 * of them would be near-arbitrary anyway. Phrases, identifiers and required clauses always stay.
 * Coverage, spelling and whole-document ranking still see every word.
 */
export async function chunkRanking(
  query: KeywordQuery,
  frequencies: (words: string[]) => Promise<number[]>,
  totalChunks: () => Promise<number>,
): Promise<ChunkRanking> {
  const single = query.clauses.map((c) => {
    const [only, ...more] = c.alternatives;
    return !c.required && !more.length && only?.field === 'any' && only.words.length === 1 ? only.words[0] : undefined;
  });
  const words = single.filter((w): w is string => w !== undefined);
  if (!words.length) return { query };
  const counts = await frequencies(words);
  if (!counts.some((n) => n > COMMON_SCAN_LIMIT)) return { query };
  const total = await totalChunks();
  const common = new Set(words.filter((_, i) => (counts[i] as number) > COMMON_SCAN_LIMIT && (counts[i] as number) * 2 > total));
  if (!common.size) return { query };
  const kept = query.clauses.filter((_, i) => !common.has(single[i] as string));
  return kept.length ? { query: { clauses: kept } } : { query, scanLimit: COMMON_SCAN_LIMIT };
}
