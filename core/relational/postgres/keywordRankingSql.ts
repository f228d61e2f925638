import { QUERY_CTES } from './keywordQuerySql';

/**
 * BM25 as SQLite FTS5's bm25() computes it, over the tables of keywordSchema.ts. For each
 * alternative of the query (FTS5: each phrase), over the user's entries (N of them, average
 * length avgdl):
 *
 *   idf = max(ln((N − n + 0.5) / (n + 0.5)), 1e-6)     n = entries the alternative matches
 *   tf  = Σ over fields of weight × occurrences in the field
 *   score = Σ idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × length / avgdl))
 *
 * A phrase's occurrences in a field are its rarest word's there (when the phrase is in that
 * field at all): PostgreSQL tells whether a phrase matches, not how often.
 *
 * Statements need `:terms` (see keywordQuerySql.ts), `:userId`, `:limit` and the field weights
 * (`:wTitle`, `:wHeadings`, `:wIdent`, `:wBody`); `where` adds conditions on the result's
 * document: on `r.document_id`, or on `d` (the documents row, joined only when `where` names it).
 */
const K1 = 1.2;
const B = 0.75;

const weight = (name: string) => `CAST(:${name} AS float8)`;

/**
 * `occurrence`: each query lexeme in each of the user's chunks that has all the words of some
 * alternative (found by the GIN index), with its occurrences per field. setweight + ts_filter
 * keep only the query's lexemes (in C: unnest() of the whole tsvector would build arrays for
 * every lexeme of every candidate, ~20 µs each); fields are position ranges, so width_bucket's
 * binary search over the sorted positions counts each field's occurrences.
 *
 * `chunk_fields`: per chunk and alternative, occurrences per field: a one-lexeme alternative's
 * own; a phrase's, where ts_filter to the field still matches it (so a phrase never spans two
 * fields), those of its rarest word. Identifier alternatives count in the identifier field only.
 */
const CHUNK_FIELDS = `
  occurrence AS MATERIALIZED (
    SELECT c.id, c.document_id, c.tokens, o.lexeme,
           width_bucket(c.headings_end, o.positions) AS headings,
           width_bucket(c.ident_end, o.positions) - width_bucket(c.headings_end, o.positions) AS ident,
           width_bucket(c.body_end, o.positions) - width_bucket(c.ident_end, o.positions) AS body,
           cardinality(o.positions) - width_bucket(c.body_end, o.positions) AS title
    FROM keyword_chunks AS c
    CROSS JOIN LATERAL unnest(ts_filter(setweight(c.tsv, 'A', (SELECT lexemes FROM wanted)), '{a}')) AS o
    WHERE c.user_id = :userId AND c.tsv @@ (SELECT q FROM wanted)
  ),
  phrase_term AS (
    SELECT o.id, t.term, min(o.title) AS title, min(o.headings) AS headings, min(o.ident) AS ident, min(o.body) AS body
    FROM occurrence AS o JOIN term AS t ON t.is_phrase AND o.lexeme = ANY (t.lexemes)
    GROUP BY o.id, t.term
    HAVING count(*) = max(cardinality(t.lexemes))
  ),
  chunk_fields AS (
    SELECT o.id, o.document_id, o.tokens, t.term,
           CASE WHEN t.ident THEN 0 ELSE o.title END AS title,
           CASE WHEN t.ident THEN 0 ELSE o.headings END AS headings,
           o.ident,
           CASE WHEN t.ident THEN 0 ELSE o.body END AS body
    FROM occurrence AS o JOIN term AS t ON NOT t.is_phrase AND o.lexeme = t.lexemes[1]
    UNION ALL
    SELECT c.id, c.document_id, c.tokens, t.term,
           CASE WHEN t.ident OR p.title = 0 OR NOT ts_filter(c.tsv, '{a}') @@ t.phrase THEN 0 ELSE p.title END,
           CASE WHEN t.ident OR p.headings = 0 OR NOT ts_filter(c.tsv, '{b}') @@ t.phrase THEN 0 ELSE p.headings END,
           CASE WHEN p.ident = 0 OR NOT ts_filter(c.tsv, '{c}') @@ t.phrase THEN 0 ELSE p.ident END,
           CASE WHEN t.ident OR p.body = 0 OR NOT ts_filter(c.tsv, '{d}') @@ t.phrase THEN 0 ELSE p.body END
    FROM phrase_term AS p JOIN term AS t USING (term) JOIN keyword_chunks AS c USING (id)
  )`;

/** idf per alternative from `hit(term, tf)` and `corpus(total)`; then the BM25 sum per `key`. */
const bm25 = (key: string) => `
  df AS (
    SELECT term, greatest(ln((corpus.total - count(*) + 0.5) / (count(*) + 0.5)), 1e-6) AS idf
    FROM hit CROSS JOIN corpus GROUP BY term, corpus.total
  ),
  ranked AS (
    SELECT ${key},
           sum(df.idf * hit.tf * ${K1 + 1} / (hit.tf + ${K1} * (${1 - B} + ${B} * hit.tokens / corpus.avgdl))) AS score,
           count(DISTINCT t.clause) FILTER (WHERE t.required) AS required_met
    FROM hit JOIN df USING (term) JOIN term AS t USING (term) CROSS JOIN corpus
    GROUP BY ${key}
  )`;

const documentJoin = (where: string, column: string) => (/\bd\./.test(where) ? `JOIN documents AS d ON d.id = ${column}` : '');

/**
 * The user's chunks ranked; each with its text, offsets, location and score. The text is read
 * for the `limit` best only.
 */
export function chunkRankingSql(where: string): string {
  return `WITH ${QUERY_CTES},
  ${CHUNK_FIELDS},
  hit AS (
    SELECT id, document_id, term, tokens,
           ${weight('wTitle')} * title + ${weight('wHeadings')} * headings + ${weight('wIdent')} * ident + ${weight('wBody')} * body AS tf
    FROM chunk_fields
    WHERE title + headings + ident + body > 0
  ),
  corpus AS (
    SELECT CAST(count(*) AS float8) AS total, greatest(CAST(avg(tokens) AS float8), 1) AS avgdl
    FROM keyword_chunks WHERE user_id = :userId
  ),
  ${bm25('hit.id, hit.document_id')},
  best AS (
    SELECT r.id, r.score FROM ranked AS r ${documentJoin(where, 'r.document_id')}
    WHERE r.required_met = (SELECT n FROM required_clauses)${where}
    ORDER BY r.score DESC, r.document_id, r.id
    LIMIT :limit
  )
  SELECT c.document_id AS "documentId", c.chunk_index AS "chunkIndex", c.body AS content,
         c.char_start AS "charStart", c.char_end AS "charEnd", c.location, b.score
  FROM best AS b JOIN keyword_chunks AS c USING (id)
  ORDER BY b.score DESC, c.document_id, c.chunk_index`;
}

/**
 * The user's documents ranked. A document's figures are its own entry's (name, outline
 * headings) plus the sums of its chunks' identifier and body figures; its chunks' name and
 * heading fields are left out, since the entry has those once.
 */
export function documentRankingSql(where: string): string {
  return `WITH ${QUERY_CTES},
  ${CHUNK_FIELDS},
  entry_occurrence AS MATERIALIZED (
    SELECT k.document_id, o.lexeme,
           cardinality(array_positions(o.weights, 'A')) AS title, cardinality(array_positions(o.weights, 'B')) AS headings
    FROM keyword_documents AS k
    CROSS JOIN wanted
    CROSS JOIN LATERAL unnest(k.tsv) AS o
    WHERE k.user_id = :userId AND k.tsv @@ (SELECT q FROM wanted) AND o.lexeme = ANY (wanted.lexemes)
  ),
  entry_fields AS (
    SELECT e.document_id, t.term, e.title, e.headings
    FROM entry_occurrence AS e JOIN term AS t ON NOT t.is_phrase AND NOT t.ident AND e.lexeme = t.lexemes[1]
    UNION ALL
    SELECT k.document_id, p.term,
           CASE WHEN p.title = 0 OR NOT ts_filter(k.tsv, '{a}') @@ t.phrase THEN 0 ELSE p.title END,
           CASE WHEN p.headings = 0 OR NOT ts_filter(k.tsv, '{b}') @@ t.phrase THEN 0 ELSE p.headings END
    FROM (
      SELECT e.document_id, t.term, min(e.title) AS title, min(e.headings) AS headings
      FROM entry_occurrence AS e JOIN term AS t ON t.is_phrase AND NOT t.ident AND e.lexeme = ANY (t.lexemes)
      GROUP BY e.document_id, t.term
      HAVING count(*) = max(cardinality(t.lexemes))
    ) AS p
    JOIN term AS t USING (term) JOIN keyword_documents AS k USING (document_id)
  ),
  document_fields AS (
    SELECT document_id, term, sum(title) AS title, sum(headings) AS headings, sum(ident) AS ident, sum(body) AS body
    FROM (
      SELECT document_id, term, title, headings, 0 AS ident, 0 AS body FROM entry_fields
      UNION ALL
      SELECT document_id, term, 0, 0, ident, body FROM chunk_fields
    ) AS f
    GROUP BY document_id, term
  ),
  hit AS (
    SELECT f.document_id, f.term, k.tokens,
           ${weight('wTitle')} * f.title + ${weight('wHeadings')} * f.headings + ${weight('wIdent')} * f.ident + ${weight('wBody')} * f.body AS tf
    FROM document_fields AS f JOIN keyword_documents AS k USING (document_id)
    WHERE f.title + f.headings + f.ident + f.body > 0
  ),
  corpus AS (
    SELECT CAST(count(*) AS float8) AS total, greatest(CAST(avg(tokens) AS float8), 1) AS avgdl
    FROM keyword_documents WHERE user_id = :userId
  ),
  ${bm25('hit.document_id')}
  SELECT r.document_id AS "documentId", r.score
  FROM ranked AS r ${documentJoin(where, 'r.document_id')}
  WHERE r.required_met = (SELECT n FROM required_clauses)${where}
  ORDER BY r.score DESC, r.document_id
  LIMIT :limit`;
}
