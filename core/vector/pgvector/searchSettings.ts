/**
 * How a query searches:
 * - `index`: walk the HNSW index with an iterative scan, which keeps going until the user filter
 *   has let through the full top-K (pgvector ≥ 0.8). The plans that avoid the index are
 *   discouraged, because PostgreSQL's cost model flips between them and the index with table
 *   statistics (before autovacuum's first ANALYZE it estimates a handful of rows per user and
 *   always scans exactly), and a search whose speed and recall change with statistics is hard to
 *   reason about or test.
 * - `planner`: the same index settings, but PostgreSQL picks the plan (a document filter, where
 *   the document_id index usually narrows things down far better than the HNSW graph).
 * - `exact`: scan the user's rows and sort them; always complete (pgvector < 0.8, or an index
 *   scan that came up short).
 */
export type SearchMode = 'index' | 'planner' | 'exact';

/** pgvector's bounds for `hnsw.ef_search`. */
const EF_SEARCH_MAX = 1000;

/**
 * Transaction-local settings for one query, as (name, value) pairs for `set_config(…, true)`.
 *
 * The trap: with `hnsw.iterative_scan = off` (pgvector's default) the index returns its
 * ef_search nearest candidates of ALL users, the WHERE user_id filter then drops most of them,
 * and a top-10 query returns fewer than 10 rows. `relaxed_order` makes the scan continue past
 * ef_search; results may come slightly out of order, so the caller re-sorts them.
 */
export function searchSettings(mode: SearchMode, opts: { efSearch: number; topK: number; timeoutMs: number }): [string, string][] {
  const settings: [string, string][] = [['statement_timeout', String(Math.max(1, Math.round(opts.timeoutMs)))]];
  if (mode === 'exact') {
    // An HNSW index is only reachable through an index scan; the user_id index still serves as a bitmap scan.
    settings.push(['enable_indexscan', 'off']);
    return settings;
  }
  settings.push(['hnsw.iterative_scan', 'relaxed_order']);
  settings.push(['hnsw.ef_search', String(Math.min(EF_SEARCH_MAX, Math.max(opts.efSearch, opts.topK)))]);
  if (mode === 'index') {
    // Every plan but the HNSW index scan needs a seq or bitmap scan plus a sort.
    settings.push(['enable_seqscan', 'off'], ['enable_bitmapscan', 'off'], ['enable_sort', 'off']);
  }
  return settings;
}
