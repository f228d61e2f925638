import type { DocumentOutline } from '../../ingest/parsers/types';
import { identifierField, KEYWORD_INDEX_VERSION, titleField } from '../../search/keywordText';
import { vocabularyWords } from '../../search/vocabulary';
import { encodeLocation, withLocation } from '../../vector/chunkLocation';
import type { DocumentRecord, KeywordChunk, KeywordChunkMatch, KeywordDocumentMatch, KeywordSearch } from '../types';
import { withChunkTexts } from './chunkTexts';
import { documentFilterSql, isDocumentId } from './documentFilterSql';
import { keywordTerms } from './keywordQuerySql';
import { chunkRankingSql, documentRankingSql, type RankingScope } from './keywordRankingSql';
import type { SqlParams, SqlRunner } from './sqlRunner';

const INSERT_CHUNKS = `INSERT INTO keyword_chunks (document_id, user_id, chunk_index, char_start, char_end, location, body, tsv,
    headings_end, ident_end, tokens)
  SELECT CAST(:documentId AS uuid), :userId, c.i, c.s, c.e, CAST(c.l AS jsonb), c.b, keyword_concat(hx.v, f.b),
    CAST(n.h AS smallint), CAST(keyword_last_position(hx.v) AS smallint), n.h + n.x + n.b
  FROM json_to_recordset(CAST(:chunks AS json)) AS c(i integer, s integer, e integer, l text, h text, x text, b text)
  CROSS JOIN LATERAL (SELECT keyword_vector(c.h, 'B') AS h, keyword_vector(c.x, 'C') AS x, keyword_vector(c.b, 'D') AS b) AS f
  CROSS JOIN LATERAL (SELECT keyword_last_position(f.h) AS h, keyword_last_position(f.x) AS x, keyword_last_position(f.b) AS b) AS n
  CROSS JOIN LATERAL (SELECT keyword_concat(f.h, f.x) AS v) AS hx`;

// The whole document's length: its name and headings, and its chunks' identifiers and body.
const UPSERT_ENTRY = `INSERT INTO keyword_documents (document_id, user_id, title_tokens, tsv, tokens, chunk_count, chunk_tokens)
  SELECT CAST(:documentId AS uuid), :userId, keyword_last_position(t.v), keyword_concat(t.v, h.v),
    keyword_last_position(t.v) + keyword_last_position(h.v) + c.content_tokens, c.n, c.tokens
  FROM keyword_vector(:title, 'A') AS t(v), keyword_vector(:headings, 'B') AS h(v),
    (SELECT CAST(count(*) AS integer) AS n, CAST(coalesce(sum(tokens), 0) AS integer) AS tokens,
            CAST(coalesce(sum(tokens - headings_end), 0) AS integer) AS content_tokens
     FROM keyword_chunks WHERE document_id = CAST(:documentId AS uuid)) AS c
  ON CONFLICT (document_id) DO UPDATE SET user_id = excluded.user_id, title_tokens = excluded.title_tokens,
    tsv = excluded.tsv, tokens = excluded.tokens, chunk_count = excluded.chunk_count, chunk_tokens = excluded.chunk_tokens`;

// In the order given: concurrent saves insert shared words in one order, so they cannot deadlock.
const INSERT_WORDS = `INSERT INTO keyword_vocabulary (user_id, word)
  SELECT :userId, w.word FROM json_array_elements_text(CAST(:words AS json)) WITH ORDINALITY AS w(word, i) ORDER BY w.i
  ON CONFLICT DO NOTHING`;

// A chunk holds a word in its own fields or in its document's name (kept in the document's entry).
const FREQUENCIES = `SELECT (SELECT count(*) FROM (
      SELECT c.id FROM keyword_chunks AS c WHERE c.user_id = :userId AND c.tsv @@ q.q
      UNION
      SELECT c.id FROM keyword_documents AS k JOIN keyword_chunks AS c USING (document_id)
      WHERE k.user_id = :userId AND k.tsv @@ q.q AND ts_filter(k.tsv, '{a}') @@ q.q
    ) AS m) AS n
  FROM json_array_elements_text(CAST(:words AS json)) WITH ORDINALITY AS w(word, i)
  CROSS JOIN LATERAL (SELECT plainto_tsquery('english', keyword_text(w.word)) AS q) AS q
  ORDER BY w.i`;

/**
 * At most this much JSON per statement (UTF-16 units, so at most 1.5 MiB of UTF-8): the Data API
 * takes requests up to 4 MiB. A document of hundreds of chunks goes in a few statements.
 */
const SLICE_CHARS = 512 * 1024;
const COUNTS_PAGE = 5000;

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

type Row = Record<string, unknown>;

export interface SqlKeywordIndexOptions {
  /**
   * Results hold at most this many characters of chunk text: the Data API caps a response at
   * 1 MiB, so the best chunks' texts are then read apart, in groups (a longer text in pieces).
   */
  resultChars?: number;
}

/** The keyword index's reads and writes in PostgreSQL's dialect (node-postgres or the Data API). */
export class SqlKeywordIndex {
  constructor(
    private readonly sql: SqlRunner,
    private readonly options: SqlKeywordIndexOptions = {},
  ) {}

  /** Rewrites a document's entries (its own, and with `chunks` its chunks'); runs inside the caller's transaction. */
  async write(doc: DocumentRecord, content: string, outline: DocumentOutline | undefined, chunks?: KeywordChunk[]): Promise<void> {
    const key = { documentId: doc.id, userId: doc.userId };
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
      title: titleField(doc.name),
      headings: (outline?.headings ?? []).map((h) => h.title).join(' \n'),
    });
  }

  async searchDocuments(userId: string, search: KeywordSearch): Promise<KeywordDocumentMatch[]> {
    const params = this.searchParams(userId, search);
    if (!params) return [];
    const rows = await this.rows(documentRankingSql(params.scope), params.values);
    return rows.map((r) => ({ documentId: String(r.documentId), score: Number(r.score) }));
  }

  async searchChunks(userId: string, search: KeywordSearch): Promise<KeywordChunkMatch[]> {
    const params = this.searchParams(userId, search);
    if (!params) return [];
    const budget = this.options.resultChars;
    let rows = await this.rows(chunkRankingSql(params.scope, { text: !budget }), params.values);
    if (budget) rows = await withChunkTexts(this.sql, rows, budget);
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

  /** The statement's scope and parameters; undefined when nothing can match. */
  private searchParams(userId: string, search: KeywordSearch): { scope: RankingScope; values: SqlParams } | undefined {
    const terms = keywordTerms(search.query);
    const ids = search.documentIds?.filter(isDocumentId);
    if (!terms.length || ids?.length === 0 || search.limit < 1) return undefined;
    const filter = documentFilterSql(search.filter);
    const { title, headings, ident, body } = search.weights;
    return {
      scope: { filter: filter.sql, documents: ids !== undefined },
      values: {
        terms: JSON.stringify(terms),
        userId,
        limit: Math.floor(search.limit),
        wTitle: title,
        wHeadings: headings,
        wIdent: ident,
        wBody: body,
        ...filter.params,
        ...(ids ? { documentIds: JSON.stringify(ids) } : {}),
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

  /** In pages, as a Data API response holds at most 1 MiB. */
  async chunkCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = await this.rows(
        `SELECT document_id AS id, count(*) AS n FROM keyword_chunks WHERE document_id > CAST(:after AS uuid)
         GROUP BY document_id ORDER BY document_id LIMIT ${COUNTS_PAGE}`,
        { after },
      );
      for (const r of rows) counts.set(String(r.id), Number(r.n));
      if (rows.length < COUNTS_PAGE) return counts;
      after = String(rows.at(-1)?.id);
    }
  }

  private async rows(sql: string, params?: SqlParams): Promise<Row[]> {
    return (await this.sql.query<Row>(sql, params)).rows;
  }
}
