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
 * Statements take `:terms` (see keywordQuerySql.ts), `:userId`, `:limit` and the field weights
 * `:wTitle`, `:wHeadings`, `:wIdent` and `:wBody`.
 */
export interface RankingScope {
  /** ` AND …` conditions on each result's document: `r.document_id`, or `d`, its documents row. */
  filter: string;
  /**
   * Only the documents listed in `:documentIds` (JSON): only their entries are read, and `n`
   * is counted apart, per alternative, over all the user's entries.
   */
  documents: boolean;
}

export interface ChunkColumns {
  /** Return each chunk's text (`content`); without it, its `id` and length (`chars`) to read it by. */
  text: boolean;
}

const K1 = 1.2;
const B = 0.75;

const weight = (name: string) => `CAST(:${name} AS float8)`;
const inDocuments = (column: string) =>
  `${column} = ANY (ARRAY(SELECT CAST(x AS uuid) FROM json_array_elements_text(CAST(:documentIds AS json)) AS x))`;

/**
 * The condition on entries (`alias`: chunks, or documents' own) that may match: those of the
 * user's the GIN index finds or, within listed documents, those documents' entries tested one by
 * one (ts_match_vq is @@ in function form, which the planner cannot take to the GIN index: it
 * would read every match of the user's).
 */
const candidates = (scope: RankingScope, alias: string) =>
  scope.documents
    ? `${inDocuments(`${alias}.document_id`)} AND ts_match_vq(${alias}.tsv, (SELECT q FROM wanted)) AND ${alias}.user_id = :userId`
    : `${alias}.user_id = :userId AND ${alias}.tsv @@ (SELECT q FROM wanted)`;

/**
 * `occurrence`: each query lexeme in each of the user's chunks that has all the words of some
 * alternative (found by the GIN index), with its positions and its occurrences per field.
 * setweight + ts_filter keep just the query's lexemes, in C; unnest() of the whole tsvector
 * would build arrays for every lexeme of every candidate, ~4× slower. Fields are position
 * ranges: width_bucket's binary search over the sorted positions counts each one.
 *
 * `phrase_start`: each place a phrase occurs, exactly: a position where each of its words sits
 * at its distance from the first (as `<N>` in a tsquery).
 *
 * `chunk_fields`: per chunk and alternative, occurrences in headings, identifiers and body.
 * Identifier alternatives count in the identifier field only.
 */
const chunkFields = (scope: RankingScope) => `
  occurrence AS MATERIALIZED (
    SELECT c.id, c.document_id, c.tokens, c.headings_end, c.ident_end, o.lexeme, o.positions,
           width_bucket(c.headings_end, o.positions) AS headings,
           width_bucket(c.ident_end, o.positions) - width_bucket(c.headings_end, o.positions) AS ident,
           cardinality(o.positions) - width_bucket(c.ident_end, o.positions) AS body
    FROM keyword_chunks AS c
    CROSS JOIN LATERAL unnest(ts_filter(setweight(c.tsv, 'A', (SELECT lexemes FROM wanted)), '{a}')) AS o
    WHERE ${candidates(scope, 'c')}
  ),
  phrase_start AS (
    SELECT o.id, o.document_id, o.tokens, o.headings_end, o.ident_end, pp.term, p.pos - pp.shift AS start
    FROM occurrence AS o
    JOIN phrase_part AS pp USING (lexeme)
    CROSS JOIN LATERAL unnest(o.positions) AS p(pos)
    GROUP BY o.id, o.document_id, o.tokens, o.headings_end, o.ident_end, pp.term, p.pos - pp.shift
    HAVING count(*) = max(pp.parts)
  ),
  chunk_fields AS (
    SELECT f.id, f.document_id, f.tokens, t.term,
           CASE WHEN t.ident THEN 0 ELSE f.headings END AS headings, f.ident, CASE WHEN t.ident THEN 0 ELSE f.body END AS body
    FROM (
      SELECT o.id, o.document_id, o.tokens, t.term, o.headings, o.ident, o.body
      FROM occurrence AS o JOIN term AS t ON NOT t.is_phrase AND o.lexeme = t.lexemes[1]
      UNION ALL
      SELECT id, document_id, tokens, term,
             count(*) FILTER (WHERE start <= headings_end),
             count(*) FILTER (WHERE start > headings_end AND start <= ident_end),
             count(*) FILTER (WHERE start > ident_end)
      FROM phrase_start
      GROUP BY id, document_id, tokens, term
    ) AS f
    JOIN term AS t USING (term)
  )`;

/**
 * `entry_fields`: per document and alternative, occurrences in its name (weight A) and outline
 * headings (B), from its own entry, counted as the chunks' are. Identifier alternatives look in
 * the identifier field only, so not here.
 */
const entryFields = (scope: RankingScope) => `
  entry_occurrence AS MATERIALIZED (
    SELECT k.document_id, o.lexeme, o.positions, o.weights,
           cardinality(array_positions(o.weights, 'A')) AS title, cardinality(array_positions(o.weights, 'B')) AS headings
    FROM keyword_documents AS k
    CROSS JOIN wanted
    CROSS JOIN LATERAL unnest(k.tsv) AS o
    WHERE ${candidates(scope, 'k')} AND o.lexeme = ANY (wanted.lexemes)
  ),
  entry_fields AS (
    SELECT e.document_id, t.term, e.title, e.headings
    FROM entry_occurrence AS e JOIN term AS t ON NOT t.is_phrase AND NOT t.ident AND e.lexeme = t.lexemes[1]
    UNION ALL
    SELECT document_id, term, count(*) FILTER (WHERE weight = 'A'), count(*) FILTER (WHERE weight = 'B')
    FROM (
      SELECT e.document_id, pp.term, p.weight
      FROM entry_occurrence AS e
      JOIN phrase_part AS pp USING (lexeme)
      JOIN term AS t ON t.term = pp.term AND NOT t.ident
      CROSS JOIN LATERAL unnest(e.positions, e.weights) AS p(pos, weight)
      GROUP BY e.document_id, pp.term, p.weight, p.pos - pp.shift
      HAVING count(*) = max(pp.parts)
    ) AS phrase_start
    GROUP BY document_id, term
  )`;

/**
 * `matches`: n per alternative, counted from `hit` (every match, when all of them were read) or
 * by `count` (an SQL expression over alternative `t`); `df`: the idf. Then `ranked`: the BM25
 * sum per `key`, and how many required alternatives matched (a required clause, a quoted
 * phrase, has one alternative).
 */
const bm25 = (key: string, count: string | undefined) => `
  matches AS MATERIALIZED (
    ${count ? `SELECT t.term, ${count} AS n FROM term AS t` : 'SELECT term, count(*) AS n FROM hit GROUP BY term'}
  ),
  df AS (
    SELECT term, greatest(ln((corpus.total - n + 0.5) / (CAST(n AS float8) + 0.5)), 1e-6) AS idf FROM matches CROSS JOIN corpus
  ),
  ranked AS (
    SELECT ${key},
           sum(df.idf * hit.tf * ${K1 + 1} / (hit.tf + ${K1} * (${1 - B} + ${B} * CAST(hit.tokens AS float8) / corpus.avgdl))) AS score,
           count(*) FILTER (WHERE t.required) AS required_met
    FROM hit JOIN df USING (term) JOIN term AS t USING (term) CROSS JOIN corpus
    GROUP BY ${key}
  )`;

/** The best `ranked` rows that pass the scope, by score. */
const best = (scope: RankingScope, order: string) => `
  SELECT r.*
  FROM ranked AS r ${/\bd\./.test(scope.filter) ? 'JOIN documents AS d ON d.id = r.document_id' : ''}
  WHERE r.required_met = (SELECT n FROM required_clauses)${scope.filter}
  ORDER BY r.score DESC, ${order}
  LIMIT :limit`;

/** Whether chunk `c` matches alternative `t` by its own fields (identifiers only, for `ident` ones). */
const CHUNK_MATCHES = `c.tsv @@ t.every AND (NOT t.is_phrase OR c.tsv @@ t.phrase) AND (NOT t.ident OR ts_filter(c.tsv, '{c}') @@ t.phrase)`;

/** Whether the name of `k`'s document matches alternative `t`. */
const NAME_MATCHES = `NOT t.ident AND k.tsv @@ t.every AND ts_filter(k.tsv, '{a}') @@ t.phrase`;

/**
 * The user's chunks ranked; each with its offsets, location, score and text (read for the best
 * only). A chunk's name field is its document's, from the document's entry (`named`): every
 * chunk of a document whose name matches is a match, by its own fields or by the name alone.
 */
export function chunkRankingSql(scope: RankingScope, columns: ChunkColumns): string {
  const count = `(SELECT count(*) FROM (
      SELECT c.id FROM keyword_chunks AS c WHERE c.user_id = :userId AND ${CHUNK_MATCHES}
      UNION
      SELECT c.id FROM keyword_documents AS k JOIN keyword_chunks AS c USING (document_id) WHERE k.user_id = :userId AND ${NAME_MATCHES}
    ) AS m)`;
  return `WITH ${QUERY_CTES},
  ${chunkFields(scope)},
  ${entryFields(scope)},
  named AS (
    SELECT document_id, term, title FROM entry_fields WHERE title > 0
  ),
  hit AS (
    SELECT f.id, f.document_id, f.term, f.tokens + k.title_tokens AS tokens,
           ${weight('wTitle')} * coalesce(n.title, 0) + ${weight('wHeadings')} * f.headings
             + ${weight('wIdent')} * f.ident + ${weight('wBody')} * f.body AS tf
    FROM chunk_fields AS f
    JOIN keyword_documents AS k USING (document_id)
    LEFT JOIN named AS n USING (document_id, term)
    WHERE f.headings + f.ident + f.body > 0 OR n.title IS NOT NULL
    UNION ALL
    SELECT c.id, c.document_id, n.term, c.tokens + k.title_tokens, ${weight('wTitle')} * n.title
    FROM named AS n
    JOIN keyword_chunks AS c USING (document_id)
    JOIN keyword_documents AS k USING (document_id)
    WHERE NOT EXISTS (SELECT 1 FROM chunk_fields AS f WHERE f.id = c.id AND f.term = n.term)
  ),
  corpus AS (
    SELECT CAST(sum(chunk_count) AS float8) AS total,
           greatest(CAST(sum(chunk_tokens + chunk_count * title_tokens) AS float8) / nullif(sum(chunk_count), 0), 1) AS avgdl
    FROM keyword_documents WHERE user_id = :userId
  ),
  ${bm25('hit.id, hit.document_id', scope.documents ? count : undefined)},
  best AS (${best(scope, 'r.document_id, r.id')})
  SELECT c.document_id AS "documentId", c.chunk_index AS "chunkIndex", ${columns.text ? 'c.body AS content' : 'c.id, length(c.body) AS chars'},
         c.char_start AS "charStart", c.char_end AS "charEnd", c.location, b.score
  FROM best AS b JOIN keyword_chunks AS c USING (id)
  ORDER BY b.score DESC, c.document_id, c.chunk_index`;
}

/**
 * The user's documents ranked. A document's figures are its own entry's (name, outline
 * headings) plus the sums of its chunks' identifier and body figures; its chunks' heading
 * fields are left out, since the outline has those headings once.
 */
export function documentRankingSql(scope: RankingScope): string {
  const count = `(SELECT count(*) FROM (
      SELECT c.document_id FROM keyword_chunks AS c WHERE c.user_id = :userId AND ${CHUNK_MATCHES}
      UNION
      SELECT k.document_id FROM keyword_documents AS k WHERE k.user_id = :userId AND NOT t.ident AND k.tsv @@ t.phrase
    ) AS m)`;
  return `WITH ${QUERY_CTES},
  ${chunkFields(scope)},
  ${entryFields(scope)},
  hit AS (
    SELECT f.document_id, f.term, k.tokens,
           ${weight('wTitle')} * sum(f.title) + ${weight('wHeadings')} * sum(f.headings)
             + ${weight('wIdent')} * sum(f.ident) + ${weight('wBody')} * sum(f.body) AS tf
    FROM (
      SELECT document_id, term, title, headings, 0 AS ident, 0 AS body FROM entry_fields
      UNION ALL
      SELECT document_id, term, 0, 0, ident, body FROM chunk_fields
    ) AS f
    JOIN keyword_documents AS k USING (document_id)
    GROUP BY f.document_id, f.term, k.tokens
    HAVING sum(f.title + f.headings + f.ident + f.body) > 0
  ),
  corpus AS (
    SELECT CAST(count(*) AS float8) AS total, greatest(CAST(avg(tokens) AS float8), 1) AS avgdl
    FROM keyword_documents WHERE user_id = :userId
  ),
  ${bm25('hit.document_id', scope.documents ? count : undefined)}
  SELECT b.document_id AS "documentId", b.score FROM (${best(scope, 'r.document_id')}) AS b
  ORDER BY b.score DESC, b.document_id`;
}
