/**
 * Migration 3: the keyword index in PostgreSQL (and Aurora PostgreSQL), beside SQLite's FTS5 one.
 *
 * - `keyword_chunks`: each chunk's text, offsets, location and one weighted `tsvector` of its
 *   fields, in this order: headings (weight B), identifiers (C) and body (D), far enough apart
 *   that no phrase spans two. `headings_end` and `ident_end` are the last positions of the first
 *   two: a lexeme's positions say which field each occurrence is in (see keywordRankingSql.ts).
 *   `tokens` is the chunk's length for BM25 without its name: its fields' words, stopwords
 *   included, as FTS5 counts them.
 * - `keyword_documents`: each document's own entry: its name (weight A; `title_tokens` long)
 *   and outline headings (B); `tokens` is the whole document's length (name, headings, and its
 *   chunks' identifiers and body); `chunk_count` and `chunk_tokens` sum its chunks, so the
 *   user's average chunk length is a sum over documents, not over every chunk. A chunk's name
 *   field (FTS5 indexes the document's name with every chunk) is read from here, so a rename
 *   rewrites one row. Whole-document figures are summed over the chunks: one tsvector of a long
 *   document would hit PostgreSQL's limits (1 MB, positions clamped at 16,383, at most 256 per
 *   lexeme).
 * - `keyword_vocabulary`: the words seen, for "did you mean" (`COLLATE "C"`: prefix ranges by code point).
 * Entries go with their document (ON DELETE CASCADE).
 *
 * Text goes through `keyword_text` first: accents folded and every punctuation character made a
 * space, as FTS5's `unicode61 remove_diacritics 2` tokenizer sees text. Without it PostgreSQL's
 * parser keeps `fs.readFile` as one "host" token, `a/b` as a file path and `x-y` as a compound,
 * so their parts could not be found, and under the C locale it takes `’` for a letter. The
 * ranges are spelled out because `[[:punct:]]` covers only ASCII under the C locale.
 */
export const KEYWORD_MIGRATION: readonly string[] = [
  `ALTER TABLE documents ADD COLUMN keyword_version INTEGER NOT NULL DEFAULT 0`,
  `CREATE FUNCTION keyword_text(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
     SELECT regexp_replace(
       regexp_replace(normalize($1, NFD), '[\\u0300-\\u036f]+', '', 'g'),
       '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\u00a0-\\u00a9\\u00ab-\\u00b1\\u00b4\\u00b6-\\u00b8\\u00bb\\u00bf\\u00d7\\u00f7\\u2000-\\u206f\\u2e00-\\u2e7f\\u3000-\\u303f\\ufe30-\\ufe4f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65]+',
       ' ', 'g')
   $$`,
  // One field of an entry. At most its first 60,000 characters are indexed, so that no tsvector
  // can reach 1 MB (chunks are far shorter: this is a guard for freak input).
  `CREATE FUNCTION keyword_vector(text, "char") RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
     SELECT setweight(to_tsvector(CAST('english' AS regconfig), keyword_text(left($1, 60000))), $2)
   $$`,
  // A field's length: its last position (stopwords take positions too).
  `CREATE FUNCTION keyword_last_position(tsvector) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
     SELECT CAST(coalesce(max(p), 0) AS integer) FROM unnest($1) AS l, unnest(l.positions) AS p
   $$`,
  // $2 after $1, 100 positions on (a marker lexeme put there and taken out), so that no phrase
  // matches across the two, not even one whose stopwords leave gaps: '|' is no word keyword_text
  // lets through.
  `CREATE FUNCTION keyword_concat(tsvector, tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
     SELECT ts_delete($1 || CAST('''|'':100' AS tsvector) || $2, '|')
   $$`,
  `CREATE AGGREGATE keyword_any(tsquery) (SFUNC = tsquery_or, STYPE = tsquery)`,
  `CREATE TABLE keyword_documents (
     document_id UUID PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     title_tokens INTEGER NOT NULL,
     tsv TSVECTOR NOT NULL,
     tokens INTEGER NOT NULL,
     chunk_count INTEGER NOT NULL,
     chunk_tokens INTEGER NOT NULL
   )`,
  `CREATE INDEX keyword_documents_user ON keyword_documents (user_id)`,
  `CREATE INDEX keyword_documents_tsv ON keyword_documents USING gin (tsv)`,
  `CREATE TABLE keyword_chunks (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     document_id UUID NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     chunk_index INTEGER NOT NULL,
     char_start INTEGER NOT NULL,
     char_end INTEGER NOT NULL,
     location JSONB,
     body TEXT NOT NULL,
     tsv TSVECTOR NOT NULL,
     headings_end SMALLINT NOT NULL,
     ident_end SMALLINT NOT NULL,
     tokens INTEGER NOT NULL,
     CONSTRAINT keyword_chunks_document_chunk UNIQUE (document_id, chunk_index)
   )`,
  // Searches read every candidate's tsvector: keep it in the row, uncompressed (the text is
  // compressed or moved out first). The default would move it to the TOAST table, ~3× slower.
  `ALTER TABLE keyword_chunks ALTER COLUMN tsv SET STORAGE MAIN`,
  `CREATE INDEX keyword_chunks_user ON keyword_chunks (user_id)`,
  `CREATE INDEX keyword_chunks_tsv ON keyword_chunks USING gin (tsv)`,
  `CREATE TABLE keyword_vocabulary (
     user_id TEXT NOT NULL,
     word TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (user_id, word)
   )`,
];
