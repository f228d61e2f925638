import type { KeywordQuery } from '../../search/keywordQuery';

/**
 * One alternative of one clause of a keyword query, as sent to PostgreSQL (a row of the `:terms`
 * JSON parameter). Each is ranked on its own, as FTS5's bm25() ranks each phrase of its query.
 */
export interface KeywordTerm {
  term: number;
  clause: number;
  /** The clause is a quoted phrase: a result must match one of its alternatives. */
  required: boolean;
  /** Matches in the identifier field only (see core/search/keywordText.ts). */
  ident: boolean;
  /** The words, space-separated: letters and digits only. */
  words: string;
}

const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * The query's alternatives, numbered. Words are data, never syntax: the SQL below turns them
 * into tsqueries with `phraseto_tsquery` and `plainto_tsquery`, which read their argument as
 * plain text. Anything but letters and digits is dropped here as well, although parsing
 * (parseKeywordQuery) already keeps only those.
 */
export function keywordTerms(query: KeywordQuery): KeywordTerm[] {
  const terms: KeywordTerm[] = [];
  query.clauses.forEach((clause, index) => {
    for (const alternative of clause.alternatives) {
      const words = alternative.words.map((w) => w.replace(NOT_WORD, '')).filter(Boolean);
      if (!words.length) continue;
      terms.push({ term: terms.length, clause: index, required: clause.required, ident: alternative.field === 'ident', words: words.join(' ') });
    }
  });
  return terms;
}

/**
 * The query as tsqueries, in the `english` configuration the index is built with:
 * - `term`: each alternative with `phrase` (its words in a row: `phraseto_tsquery`, whose `<N>`
 *   distances skip the stopwords PostgreSQL drops, so `force with lease` is `'forc' <2> 'leas'`),
 *   `every` (all its words anywhere: `plainto_tsquery`, a superset the GIN index answers
 *   without rechecking rows) and `lexemes`. An alternative of stopwords only has no lexemes and
 *   is left out: PostgreSQL cannot find it.
 * - `phrase_part`: each word of each phrase: its lexeme, its distance from the phrase's first
 *   word (`shift`, in positions, stopwords included) and how many words the phrase has (`parts`).
 * - `wanted`: `q`, any alternative's `every` OR-ed (candidate rows, from the GIN index), and all
 *   the query's lexemes.
 * - `required_clauses`: how many quoted phrases a result must match (each is one alternative).
 * Needs the parameter `:terms` (keywordTerms as JSON).
 */
export const QUERY_CTES = `
  term AS MATERIALIZED (
    SELECT t.term, t.clause, t.required, t.ident, t.words, q.phrase, numnode(q.phrase) > 1 AS is_phrase, q.every,
           tsvector_to_array(to_tsvector('english', keyword_text(t.words))) AS lexemes
    FROM json_to_recordset(CAST(:terms AS json)) AS t(term integer, clause integer, required boolean, ident boolean, words text)
    CROSS JOIN LATERAL (
      SELECT phraseto_tsquery('english', keyword_text(t.words)) AS phrase, plainto_tsquery('english', keyword_text(t.words)) AS every
    ) AS q
    WHERE numnode(q.phrase) > 0
  ),
  phrase_part AS MATERIALIZED (
    SELECT t.term, l.lexeme, p.pos - min(p.pos) OVER (PARTITION BY t.term) AS shift, count(*) OVER (PARTITION BY t.term) AS parts
    FROM term AS t
    CROSS JOIN LATERAL unnest(to_tsvector('english', keyword_text(t.words))) AS l
    CROSS JOIN LATERAL unnest(l.positions) AS p(pos)
    WHERE t.is_phrase
  ),
  wanted AS MATERIALIZED (
    SELECT keyword_any(every) AS q, (SELECT array_agg(DISTINCT l) FROM term, unnest(term.lexemes) AS l) AS lexemes FROM term
  ),
  required_clauses AS MATERIALIZED (
    SELECT count(*) AS n FROM term WHERE required
  )`;
