import { createHash } from 'node:crypto';
import type { DocumentOutline } from '../ingest/parsers/types';
import { toFts5 } from '../search/keywordQuery';
import { chunkFields, documentFields, KEYWORD_INDEX_VERSION } from '../search/keywordText';
import { vocabularyWords } from '../search/vocabulary';
import { encodeLocation, withLocation } from '../vector/chunkLocation';
import { folderBounds } from './records';
import type { SqliteDb } from './sqliteDatabase';
import type { DocumentFilter, KeywordChunk, KeywordChunkMatch, KeywordDocumentMatch, KeywordSearch } from './types';

const TOKENIZER = `tokenize = 'porter unicode61 remove_diacritics 2'`;

/**
 * The keyword index in SQLite FTS5, as a migration of the relational schema:
 * - `keyword_chunks` holds each chunk's fields, its document's name among them (a passage of
 *   `npm-unpublish.md` is about unpublishing even where its text does not say so);
 *   `keyword_chunks_fts` indexes them (external content, kept in step by triggers), so a chunk's
 *   text is stored once.
 * - `keyword_documents_fts` indexes each whole document (name, headings, identifiers, text) for
 *   document-level BM25; it is contentless (the text is in `documents.content` already).
 * - `keyword_vocabulary` lists the words seen, for "did you mean".
 * Rows go with their document (ON DELETE CASCADE; the triggers update the FTS tables).
 *
 * Every FTS row carries its user as a token in an `owner` column, so the user is part of the
 * MATCH: a search reads only the index (ranking included) and touches the rows it returns, instead
 * of joining every matching row to check whose it is. The column has weight 0 in bm25().
 */
export const KEYWORD_MIGRATION = `
  ALTER TABLE documents ADD COLUMN keyword_version INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE keyword_chunks (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    chunk_index INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    location TEXT,
    title TEXT NOT NULL,
    headings TEXT NOT NULL,
    ident TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (document_id, chunk_index)
  );
  CREATE INDEX keyword_chunks_user ON keyword_chunks(user_id);
  CREATE VIRTUAL TABLE keyword_chunks_fts USING fts5(owner, title, headings, ident, body,
    content = 'keyword_chunks', content_rowid = 'id', ${TOKENIZER});
  CREATE TRIGGER keyword_chunks_ai AFTER INSERT ON keyword_chunks BEGIN
    INSERT INTO keyword_chunks_fts (rowid, owner, title, headings, ident, body)
    VALUES (new.id, new.owner, new.title, new.headings, new.ident, new.body);
  END;
  CREATE TRIGGER keyword_chunks_ad AFTER DELETE ON keyword_chunks BEGIN
    INSERT INTO keyword_chunks_fts (keyword_chunks_fts, rowid, owner, title, headings, ident, body)
    VALUES ('delete', old.id, old.owner, old.title, old.headings, old.ident, old.body);
  END;
  CREATE TRIGGER keyword_chunks_au AFTER UPDATE ON keyword_chunks BEGIN
    INSERT INTO keyword_chunks_fts (keyword_chunks_fts, rowid, owner, title, headings, ident, body)
    VALUES ('delete', old.id, old.owner, old.title, old.headings, old.ident, old.body);
    INSERT INTO keyword_chunks_fts (rowid, owner, title, headings, ident, body)
    VALUES (new.id, new.owner, new.title, new.headings, new.ident, new.body);
  END;
  CREATE TABLE keyword_documents (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL
  );
  CREATE INDEX keyword_documents_user ON keyword_documents(user_id);
  CREATE VIRTUAL TABLE keyword_documents_fts USING fts5(owner, title, headings, ident, body,
    content = '', contentless_delete = 1, ${TOKENIZER});
  CREATE TRIGGER keyword_documents_ad AFTER DELETE ON keyword_documents BEGIN
    DELETE FROM keyword_documents_fts WHERE rowid = old.id;
  END;
  CREATE TABLE keyword_vocabulary (
    user_id TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (user_id, word)
  ) WITHOUT ROWID;`;

/** `documents d` narrowed by a filter, as SQL with its parameters (always within the user). */
export function sqliteFilter(filter: DocumentFilter | undefined): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.extensions?.length) {
    parts.push(`(${filter.extensions.map(() => `lower(d.name) LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...filter.extensions.map((e) => `%.${e.replace(/[\\%_]/g, '\\$&')}`));
  }
  if (filter?.folder) {
    const { folder, prefix } = folderBounds(filter.folder);
    parts.push('(d.source_path = ? OR substr(d.source_path, 1, ?) = ?)');
    params.push(folder, prefix.length, prefix);
  }
  if (filter?.since) {
    parts.push('d.uploaded_at >= ?');
    params.push(filter.since);
  }
  return { sql: parts.length ? ` AND ${parts.join(' AND ')}` : '', params };
}

/** A user as one token of the `owner` column (letters and digits, whatever the user id holds). */
export function ownerToken(userId: string): string {
  return `u${createHash('sha256').update(userId).digest('hex').slice(0, 20)}`;
}

/** A MATCH expression within one user's rows. */
const owned = (userId: string, match: string) => `owner : "${ownerToken(userId)}" AND (${match})`;

/** The tables whose rows say whose they are, each beside its FTS table. */
type OwnedTable = 'keyword_chunks' | 'keyword_documents';

/**
 * Narrows an FTS query to some documents or to those passing a filter, by joining the rows of
 * `table` (`k`: documents, `c`: chunks). A join, not `rowid IN (…)`: FTS5 would evaluate the MATCH
 * once per listed rowid (measured 40× slower).
 */
function scoped(search: KeywordSearch, table: 'k' | 'c'): { join: string; where: string; params: unknown[] } {
  const ids = search.documentIds ?? [];
  const filter = sqliteFilter(search.filter);
  if (!ids.length && !filter.sql) return { join: '', where: '', params: [] };
  return {
    join: filter.sql ? ` JOIN documents d ON d.id = ${table}.document_id` : '',
    where: `${filter.sql}${ids.length ? ` AND ${table}.document_id IN (${ids.map(() => '?').join(',')})` : ''}`,
    params: [...filter.params, ...ids],
  };
}

/** The keyword index's reads and writes on the app's SQLite connection. */
export class SqliteKeywordIndex {
  constructor(private readonly db: SqliteDb) {}

  /** Rewrites a document's entries (its own, and with `chunks` its chunks'); runs inside the caller's transaction. */
  write(documentId: string, userId: string, name: string, content: string, outline: DocumentOutline | undefined, chunks?: KeywordChunk[]): void {
    const fields = documentFields(name, (outline?.headings ?? []).map((h) => h.title), content);
    const { id } = this.db
      .prepare(
        `INSERT INTO keyword_documents (document_id, user_id) VALUES (?, ?)
         ON CONFLICT(document_id) DO UPDATE SET user_id = excluded.user_id RETURNING id`,
      )
      .get(documentId, userId) as { id: number };
    this.db.prepare('DELETE FROM keyword_documents_fts WHERE rowid = ?').run(id);
    this.db
      .prepare('INSERT INTO keyword_documents_fts (rowid, owner, title, headings, ident, body) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, ownerToken(userId), fields.title, fields.headings, fields.ident, fields.body);
    if (!chunks) {
      // A rename: the chunks keep their text under the new name.
      this.db.prepare('UPDATE keyword_chunks SET title = ? WHERE document_id = ? AND title <> ?').run(fields.title, documentId, fields.title);
      return;
    }
    this.db.prepare('DELETE FROM keyword_chunks WHERE document_id = ?').run(documentId);
    const insert = this.db.prepare(
      `INSERT INTO keyword_chunks (document_id, user_id, owner, chunk_index, char_start, char_end, location, title, headings, ident, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const owner = ownerToken(userId);
    for (const c of chunks) {
      const f = chunkFields(name, c);
      insert.run(documentId, userId, owner, c.chunkIndex, c.charStart, c.charEnd, encodeLocation(c.location), f.title, f.headings, f.ident, f.body);
    }
    const addWord = this.db.prepare('INSERT OR IGNORE INTO keyword_vocabulary (user_id, word) VALUES (?, ?)');
    for (const word of vocabularyWords(content)) addWord.run(userId, word);
    this.db.prepare('UPDATE documents SET keyword_version = ? WHERE id = ?').run(KEYWORD_INDEX_VERSION, documentId);
  }

  /**
   * Whether every row of `table` is this user's: a library of one user, the desktop app's case.
   * Then the MATCH needs no owner clause, which costs a read of the owner's whole row list
   * (every row) on each query — measured at 125k chunks: chunk ranking 12 → 7 and 31 → 21 ms,
   * a word's count 1.7 → 0.4 ms. BM25 is the same either way (it weighs the owner column 0 and
   * takes its statistics from the whole table). Two lookups in the user index.
   */
  private ownsAll(userId: string, table: OwnedTable): boolean {
    const row = this.db
      .prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE user_id < ?) AND NOT EXISTS (SELECT 1 FROM ${table} WHERE user_id > ?) AS alone`)
      .get(userId, userId) as { alone: number };
    return row.alone === 1;
  }

  /**
   * `read(within)`, where `within(match)` narrows a MATCH to the user's rows unless they are all
   * the user's; in one read transaction, so no other user's row can appear between check and read.
   */
  private withinUser<T>(userId: string, table: OwnedTable, read: (within: (match: string) => string) => T): T {
    return this.db.transaction(() => {
      const alone = this.ownsAll(userId, table);
      return read((match) => (alone ? match : owned(userId, match)));
    })();
  }

  searchDocuments(userId: string, search: KeywordSearch): KeywordDocumentMatch[] {
    const match = toFts5(search.query, { ident: 'ident' });
    if (!match || search.documentIds?.length === 0) return [];
    const { title, headings, ident, body } = search.weights;
    const scope = scoped(search, 'k');
    const ranked = this.db.prepare(
      `SELECT k.document_id AS documentId, -bm25(keyword_documents_fts, 0, ?, ?, ?, ?) AS score
       FROM keyword_documents_fts f JOIN keyword_documents k ON k.id = f.rowid${scope.join}
       WHERE keyword_documents_fts MATCH ?${scope.where} ORDER BY score DESC LIMIT ?`,
    );
    return this.withinUser(
      userId,
      'keyword_documents',
      (within) => ranked.all(title, headings, ident, body, within(match), ...scope.params, search.limit) as KeywordDocumentMatch[],
    );
  }

  searchChunks(userId: string, search: KeywordSearch): KeywordChunkMatch[] {
    const match = toFts5(search.query, { ident: 'ident' });
    if (!match || search.documentIds?.length === 0) return [];
    const { title, headings, ident, body } = search.weights;
    const scope = scoped(search, 'c');
    type Row = Omit<KeywordChunkMatch, 'location'> & { location: string | null };
    // With a scan limit, only the newest matches are ranked (FTS5 reads them by descending rowid).
    const sample = search.scanLimit ? ' ORDER BY f.rowid DESC LIMIT ?' : '';
    const ranked = `SELECT f.rowid AS id, -bm25(keyword_chunks_fts, 0, ?, ?, ?, ?) AS score
           FROM keyword_chunks_fts f${scope.where ? ` JOIN keyword_chunks c ON c.id = f.rowid${scope.join}` : ''}
           WHERE keyword_chunks_fts MATCH ?${scope.where}${sample}`;
    const best = this.db.prepare(
      `SELECT c.document_id AS documentId, c.chunk_index AS chunkIndex, c.body AS content, c.char_start AS charStart,
              c.char_end AS charEnd, c.location, f.score FROM (
         SELECT * FROM (${ranked}) ORDER BY score DESC LIMIT ?
       ) f JOIN keyword_chunks c ON c.id = f.id ORDER BY f.score DESC`,
    );
    const sampleSize = search.scanLimit ? [search.scanLimit] : [];
    const rows = this.withinUser(
      userId,
      'keyword_chunks',
      (within) => best.all(title, headings, ident, body, within(match), ...scope.params, ...sampleSize, search.limit) as Row[],
    );
    return rows.map(({ location, ...r }) => withLocation(r, location));
  }

  frequencies(userId: string, words: string[]): number[] {
    const count = this.db.prepare('SELECT count(*) AS n FROM keyword_chunks_fts WHERE keyword_chunks_fts MATCH ?');
    return this.withinUser(userId, 'keyword_chunks', (within) =>
      words.map((w) => {
        const clean = w.replace(/"/g, '');
        return clean ? (count.get(within(`"${clean}"`)) as { n: number }).n : 0;
      }),
    );
  }

  vocabulary(userId: string, initial: string, minLength: number, maxLength: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT word FROM keyword_vocabulary WHERE user_id = ? AND word >= ? AND word < ?
         AND length(word) BETWEEN ? AND ?`,
      )
      .all(userId, initial, `${initial}\u{10FFFF}`, minLength, maxLength) as { word: string }[];
    return rows.map((r) => r.word);
  }

  chunkCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT document_id AS id, count(*) AS n FROM keyword_chunks GROUP BY document_id').all() as {
      id: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }
}
