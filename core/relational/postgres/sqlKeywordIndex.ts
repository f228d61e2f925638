import type { DocumentOutline } from '../../ingest/parsers/types';
import { identifierField, KEYWORD_INDEX_VERSION, titleField } from '../../search/keywordText';
import { vocabularyWords } from '../../search/vocabulary';
import { encodeLocation, withLocation } from '../../vector/chunkLocation';
import type { DocumentRecord, KeywordChunk, KeywordChunkMatch, KeywordDocumentMatch, KeywordSearch } from '../types';
import { documentFilterSql, documentIdsSql, type SqlCondition } from './documentFilterSql';
import { keywordTerms } from './keywordQuerySql';
import { chunkRankingSql, documentRankingSql } from './keywordRankingSql';
import type { SqlParams, SqlRunner } from './sqlRunner';

const INSERT_CHUNKS = `INSERT INTO keyword_chunks (document_id, user_id, chunk_index, char_start, char_end, location, body, tsv,
    headings_end, ident_end, body_end, tokens)
  SELECT CAST(:documentId AS uuid), :userId, c.i, c.s, c.e, CAST(c.l AS jsonb), c.b, v.hxb || t.v,
    keyword_last_position(f.h), keyword_last_position(v.hx), keyword_last_position(v.hxb), keyword_last_position(v.hxb || t.v)
  FROM json_to_recordset(CAST(:chunks AS json)) AS c(i integer, s integer, e integer, l text, h text, x text, b text)
  CROSS JOIN (SELECT keyword_vector(:title, 'A') AS v) AS t
  CROSS JOIN LATERAL (SELECT keyword_vector(c.h, 'B') AS h, keyword_vector(c.x, 'C') AS x, keyword_vector(c.b, 'D') AS b) AS f
  CROSS JOIN LATERAL (SELECT f.h || f.x AS hx, f.h || f.x || f.b AS hxb) AS v`;

// A rename without new chunks: each chunk's name field, the last one, is replaced.
const RENAME_CHUNKS = `UPDATE keyword_chunks AS c SET tsv = ts_filter(c.tsv, '{b,c,d}') || t.v, tokens = c.body_end + keyword_last_position(t.v)
  FROM (SELECT keyword_vector(:title, 'A') AS v) AS t
  WHERE c.document_id = CAST(:documentId AS uuid)
    AND EXISTS (SELECT 1 FROM keyword_documents AS k WHERE k.document_id = c.document_id AND k.title <> :title)`;

// The whole document's length: its name and headings, and its chunks' identifiers and text.
const UPSERT_ENTRY = `INSERT INTO keyword_documents (document_id, user_id, title, tsv, tokens)
  SELECT CAST(:documentId AS uuid), :userId, :title, e.tsv, keyword_last_position(e.tsv)
    + (SELECT CAST(coalesce(sum(body_end - headings_end), 0) AS integer) FROM keyword_chunks WHERE document_id = CAST(:documentId AS uuid))
  FROM (SELECT keyword_vector(:title, 'A') || keyword_vector(:headings, 'B') AS tsv) AS e
  ON CONFLICT (document_id) DO UPDATE SET user_id = excluded.user_id, title = excluded.title, tsv = excluded.tsv, tokens = excluded.tokens`;

// In the order given: concurrent saves insert shared words in one order, so they cannot deadlock.
const INSERT_WORDS = `INSERT INTO keyword_vocabulary (user_id, word)
  SELECT :userId, w.word FROM json_array_elements_text(CAST(:words AS json)) WITH ORDINALITY AS w(word, i) ORDER BY w.i
  ON CONFLICT DO NOTHING`;

const FREQUENCIES = `SELECT (SELECT count(*) FROM keyword_chunks AS c WHERE c.user_id = :userId AND c.tsv @@ q.q) AS n
  FROM json_array_elements_text(CAST(:words AS json)) WITH ORDINALITY AS w(word, i)
  CROSS JOIN LATERAL (SELECT plainto_tsquery('english', keyword_text(w.word)) AS q) AS q
  ORDER BY w.i`;

/**
 * At most this much JSON per statement (UTF-16 units, so at most 1.5 MiB of UTF-8): the Data API
 * takes requests up to 4 MiB. A document of hundreds of chunks goes in a few statements.
 */
const SLICE_CHARS = 512 * 1024;

/** JSON arrays of the items, each at most SLICE_CHARS long (an item longer than that alone). */
export function jsonSlices(items: readonly unknown[], maxChars = SLICE_CHARS): string[] {
  const slices: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (current.length && size + json.length + 1 > maxChars) {
      slices.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length) slices.push(`[${current.join(',')}]`);
  return slices;
}

const NONE: SqlCondition = { sql: '', params: {} };

type Row = Record<string, unknown>;

/** The keyword index's reads and writes in PostgreSQL's dialect (node-postgres or the Data API). */
export class SqlKeywordIndex {
  constructor(private readonly sql: SqlRunner) {}

  /** Rewrites a document's entries (its own, and with `chunks` its chunks'); runs inside the caller's transaction. */
  async write(doc: DocumentRecord, content: string, outline: DocumentOutline | undefined, chunks?: KeywordChunk[]): Promise<void> {
    const key = { documentId: doc.id, userId: doc.userId, title: titleField(doc.name) };
    if (!chunks) await this.sql.query(RENAME_CHUNKS, key);
    if (chunks) {
      await this.sql.query('DELETE FROM keyword_chunks WHERE document_id = CAST(:documentId AS uuid)', key);
      const rows = chunks.map((c) => ({
        i: c.chunkIndex,
        s: c.charStart,
        e: c.charEnd,
        l: encodeLocation(c.location),
        h: (c.location?.headingPath ?? []).join(' \n'),
        x: identifierField(c.content),
        b: c.content,
      }));
      for (const slice of jsonSlices(rows)) await this.sql.query(INSERT_CHUNKS, { ...key, chunks: slice });
      for (const slice of jsonSlices([...vocabularyWords(content)].sort())) await this.sql.query(INSERT_WORDS, { userId: doc.userId, words: slice });
      await this.sql.query('UPDATE documents SET keyword_version = :version WHERE id = CAST(:documentId AS uuid)', {
        ...key,
        version: KEYWORD_INDEX_VERSION,
      });
    }
    // After the chunks: the entry's length sums theirs.
    await this.sql.query(UPSERT_ENTRY, {
      ...key,
      headings: (outline?.headings ?? []).map((h) => h.title).join(' \n'),
    });
  }

  async searchDocuments(userId: string, search: KeywordSearch): Promise<KeywordDocumentMatch[]> {
    const params = this.searchParams(userId, search);
    if (!params) return [];
    const rows = await this.rows(documentRankingSql(params.where), params.values);
    return rows.map((r) => ({ documentId: String(r.documentId), score: Number(r.score) }));
  }

  async searchChunks(userId: string, search: KeywordSearch): Promise<KeywordChunkMatch[]> {
    const params = this.searchParams(userId, search);
    if (!params) return [];
    const rows = await this.rows(chunkRankingSql(params.where), params.values);
    return rows.map((r) =>
      withLocation(
        {
          documentId: String(r.documentId),
          chunkIndex: Number(r.chunkIndex),
          content: String(r.content),
          charStart: Number(r.charStart),
          charEnd: Number(r.charEnd),
          score: Number(r.score),
        },
        r.location,
      ),
    );
  }

  /** The statement's extra conditions and parameters; undefined when nothing can match. */
  private searchParams(userId: string, search: KeywordSearch): { where: string; values: SqlParams } | undefined {
    const terms = keywordTerms(search.query);
    if (!terms.length || search.documentIds?.length === 0 || search.limit < 1) return undefined;
    const filter = documentFilterSql(search.filter);
    const ids = search.documentIds ? documentIdsSql('r.document_id', search.documentIds) : NONE;
    const { title, headings, ident, body } = search.weights;
    return {
      where: filter.sql + ids.sql,
      values: {
        terms: JSON.stringify(terms),
        userId,
        limit: Math.floor(search.limit),
        wTitle: title,
        wHeadings: headings,
        wIdent: ident,
        wBody: body,
        ...filter.params,
        ...ids.params,
      },
    };
  }

  async frequencies(userId: string, words: string[]): Promise<number[]> {
    if (!words.length) return [];
    const rows = await this.rows(FREQUENCIES, { userId, words: JSON.stringify(words) });
    return rows.map((r) => Number(r.n));
  }

  async vocabulary(userId: string, initial: string, minLength: number, maxLength: number): Promise<string[]> {
    const rows = await this.rows(
      `SELECT word FROM keyword_vocabulary WHERE user_id = :userId AND word >= :from AND word < :to
       AND length(word) BETWEEN :minLength AND :maxLength ORDER BY word`,
      { userId, from: initial, to: `${initial}\u{10FFFF}`, minLength, maxLength },
    );
    return rows.map((r) => String(r.word));
  }

  async chunkCounts(): Promise<Map<string, number>> {
    const rows = await this.rows('SELECT document_id AS id, count(*) AS n FROM keyword_chunks GROUP BY document_id');
    return new Map(rows.map((r) => [String(r.id), Number(r.n)]));
  }

  private async rows(sql: string, params?: SqlParams): Promise<Row[]> {
    return (await this.sql.query<Row>(sql, params)).rows;
  }
}
