import { createHash } from 'node:crypto';
import type { ProviderHealth } from '../../api/types';
import { KbError } from '../../api/errors';
import type { StoreSize } from '../../metrics/storeSize';
import type { DocumentOutline } from '../../ingest/parsers/types';
import { KEYWORD_INDEX_VERSION } from '../../search/keywordText';
import { FINISHED, JOB_UPDATE_COLUMNS, outlineJson, parseOutline } from '../records';
import type {
  DocumentFilter,
  DocumentRecord,
  JobRecord,
  JobUpdate,
  KeywordChunk,
  KeywordChunkMatch,
  KeywordDocumentMatch,
  KeywordSearch,
  RelationalStore,
} from '../types';
import { documentFilterSql, isDocumentId } from './documentFilterSql';
import { migrate } from './migrate';
import { RELATIONAL_MIGRATIONS, RELATIONAL_MIGRATIONS_TABLE, RELATIONAL_MIGRATION_LOCK } from './relationalSchema';
import { SqlKeywordIndex } from './sqlKeywordIndex';
import type { SqlParams, SqlRunner } from './sqlRunner';

/** A TIMESTAMPTZ column as the ISO string the records carry (`toISOString()`'s format). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const DOC_COLUMNS = `id, user_id AS "userId", name, source_key AS "sourceKey", source_path AS "sourcePath",
  storage_key AS "storageKey", content_hash AS "contentHash", mime_type AS "mimeType", size,
  chunk_count AS "chunkCount", ${iso('uploaded_at')} AS "uploadedAt", ${iso('updated_at')} AS "updatedAt"`;

const JOB_COLUMNS = `id, kind, batch_id AS "batchId", user_id AS "userId", file_name AS "fileName",
  source_key AS "sourceKey", source_path AS "sourcePath", storage_key AS "storageKey", state,
  chunks_done AS "chunksDone", chunks_total AS "chunksTotal", document_id AS "documentId", note,
  error_kind AS "errorKind", error_message AS "errorMessage", ${iso('created_at')} AS "createdAt",
  ${iso('updated_at')} AS "updatedAt"`;

const SAVE_DOCUMENT = `INSERT INTO documents (id, user_id, name, source_key, source_path, storage_key, content_hash,
    mime_type, size, chunk_count, content, outline, uploaded_at, updated_at)
  VALUES (CAST(:id AS uuid), :userId, :name, :sourceKey, :sourcePath, :storageKey, :contentHash,
    :mimeType, :size, :chunkCount, :content, :outline, CAST(:uploadedAt AS timestamptz), CAST(:updatedAt AS timestamptz))
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, source_key = excluded.source_key,
    source_path = excluded.source_path, storage_key = excluded.storage_key,
    content_hash = excluded.content_hash, mime_type = excluded.mime_type, size = excluded.size,
    chunk_count = excluded.chunk_count, content = excluded.content, outline = excluded.outline,
    updated_at = excluded.updated_at,
    -- New text without new chunk entries: the old entries are stale until re-indexed. Compared by
    -- hash because the text may arrive in slices (see contentSliceChars).
    keyword_version = CASE WHEN sha256(convert_to(documents.content, 'UTF8')) = decode(:contentSha256, 'hex')
      THEN documents.keyword_version ELSE 0 END`;

const INSERT_JOB = `INSERT INTO ingestion_jobs (id, kind, batch_id, user_id, file_name, source_key, source_path, storage_key,
    state, chunks_done, chunks_total, document_id, note, error_kind, error_message, created_at, updated_at)
  VALUES (:id, :kind, :batchId, :userId, :fileName, :sourceKey, :sourcePath, :storageKey, :state,
    :chunksDone, :chunksTotal, :documentId, :note, :errorKind, :errorMessage,
    CAST(:createdAt AS timestamptz), CAST(:updatedAt AS timestamptz))`;

const JOBS_PER_BATCH = 200;
/** The tables the relational schema creates (sizes for Status). */
const RELATIONAL_TABLES = ['users', 'documents', 'ingestion_jobs', 'keyword_documents', 'keyword_chunks', 'keyword_vocabulary'];
const STALE_PAGE = 200;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

type Row = Record<string, unknown>;

// Drivers differ in how they return numbers: node-postgres gives BIGINT and count(*) as strings,
// the Data API's JSON gives numbers; and a JSON null may be left out. Records get one shape.
const toDocument = (r: Row): DocumentRecord =>
  ({ ...r, sourcePath: r.sourcePath ?? null, size: Number(r.size), chunkCount: Number(r.chunkCount) }) as DocumentRecord;

const toJob = (r: Row): JobRecord =>
  ({
    ...r,
    sourcePath: r.sourcePath ?? null,
    storageKey: r.storageKey ?? null,
    documentId: r.documentId ?? null,
    note: r.note ?? null,
    errorKind: r.errorKind ?? null,
    errorMessage: r.errorMessage ?? null,
    chunksDone: Number(r.chunksDone),
    chunksTotal: Number(r.chunksTotal),
  }) as JobRecord;

/** Splits text into pieces of at most `size` UTF-16 units without cutting a surrogate pair. */
export function sliceText(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - i > 1 && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts;
}

export interface SqlStoreOptions {
  /**
   * Moves a document's content in pieces of at most this many characters (one statement each,
   * in one transaction); the Data API caps the size of a request and of a result. Unset: whole.
   */
  contentSliceChars?: number;
}

/**
 * The relational store in PostgreSQL's dialect over any `SqlRunner`: the postgres provider runs
 * it on node-postgres, the aurora provider on the RDS Data API. Semantics follow the SQLite store.
 */
export abstract class SqlRelationalStore implements RelationalStore {
  abstract readonly provider: string;
  abstract isAvailable(): Promise<ProviderHealth>;
  abstract close(): Promise<void>;

  private readonly keywords: SqlKeywordIndex;

  constructor(
    protected readonly sql: SqlRunner,
    private readonly options: SqlStoreOptions = {},
  ) {
    this.keywords = new SqlKeywordIndex(sql, { resultChars: options.contentSliceChars });
  }

  async connect(): Promise<void> {
    await migrate(this.sql, {
      table: RELATIONAL_MIGRATIONS_TABLE,
      lockKey: RELATIONAL_MIGRATION_LOCK,
      steps: RELATIONAL_MIGRATIONS,
    });
  }

  private async rows(sql: string, params?: SqlParams): Promise<Row[]> {
    return (await this.sql.query<Row>(sql, params)).rows;
  }

  async ensureUser(id: string, email: string): Promise<void> {
    await this.sql.query('INSERT INTO users (id, email) VALUES (:id, :email) ON CONFLICT (id) DO NOTHING', { id, email });
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    if (!isDocumentId(id)) return undefined;
    const [row] = await this.rows(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = CAST(:id AS uuid)`, { id });
    return row && toDocument(row);
  }

  async findDocumentBySource(userId: string, sourceKey: string): Promise<DocumentRecord | undefined> {
    const [row] = await this.rows(`SELECT ${DOC_COLUMNS} FROM documents WHERE user_id = :userId AND source_key = :sourceKey`, {
      userId,
      sourceKey,
    });
    return row && toDocument(row);
  }

  async listDocuments(userId: string): Promise<DocumentRecord[]> {
    // COLLATE "C": names compare byte by byte, as SQLite's BINARY does, whatever the database's locale.
    const rows = await this.rows(
      `SELECT ${DOC_COLUMNS} FROM documents WHERE user_id = :userId ORDER BY updated_at DESC, name COLLATE "C"`,
      { userId },
    );
    return rows.map(toDocument);
  }

  async saveDocument(d: DocumentRecord, content: string, outline?: DocumentOutline, chunks?: KeywordChunk[]): Promise<void> {
    if (!isDocumentId(d.id)) throw new KbError('ValidationError', `Document ids are UUIDs; got "${d.id}"`);
    await this.sql.transaction(async () => {
      await this.upsertDocument(d, content, outline);
      await this.keywords.write(d, content, outline, chunks);
    });
  }

  private async upsertDocument(d: DocumentRecord, content: string, outline?: DocumentOutline): Promise<void> {
    const { id, userId, name, sourceKey, sourcePath, storageKey, contentHash, mimeType, size, chunkCount, uploadedAt, updatedAt } = d;
    const row = {
      ...{ id, userId, name, sourceKey, sourcePath, storageKey, contentHash, mimeType, size, chunkCount, uploadedAt, updatedAt },
      outline: outlineJson(outline),
      contentSha256: createHash('sha256').update(content, 'utf8').digest('hex'),
    };
    const slice = this.options.contentSliceChars;
    const [first = '', ...rest] = slice && content.length > slice ? sliceText(content, slice) : [content];
    await this.sql.query(SAVE_DOCUMENT, { ...row, content: first });
    for (const part of rest) {
      await this.sql.query('UPDATE documents SET content = content || :part WHERE id = CAST(:id AS uuid)', { id, part });
    }
  }

  async getDocumentContent(id: string): Promise<string | undefined> {
    if (!isDocumentId(id)) return undefined;
    const slice = this.options.contentSliceChars;
    if (!slice) {
      const [row] = await this.rows('SELECT content FROM documents WHERE id = CAST(:id AS uuid)', { id });
      return row?.content as string | undefined;
    }
    // length() and substr() count characters, so pieces never split one. FOR SHARE keeps a
    // concurrent save from changing the text between the pieces.
    return this.sql.transaction(async () => {
      const count = slice;
      const [head] = await this.rows(
        `SELECT length(content) AS chars, substr(content, 1, CAST(:count AS integer)) AS part
         FROM documents WHERE id = CAST(:id AS uuid) FOR SHARE`,
        { id, count },
      );
      if (!head) return undefined;
      const parts = [head.part as string];
      for (let from = count + 1; from <= Number(head.chars); from += count) {
        const [row] = await this.rows(
          'SELECT substr(content, CAST(:from AS integer), CAST(:count AS integer)) AS part FROM documents WHERE id = CAST(:id AS uuid)',
          { id, from, count },
        );
        parts.push(row?.part as string);
      }
      return parts.join('');
    });
  }

  async getDocumentOutline(id: string): Promise<DocumentOutline | undefined> {
    if (!isDocumentId(id)) return undefined;
    const [row] = await this.rows('SELECT outline FROM documents WHERE id = CAST(:id AS uuid)', { id });
    return row ? parseOutline((row.outline as string | undefined) ?? null) : undefined;
  }

  async documentChunkCounts(): Promise<Map<string, number>> {
    const rows = await this.rows('SELECT id, chunk_count AS n FROM documents');
    return new Map(rows.map((r) => [String(r.id), Number(r.n)]));
  }

  async deleteDocument(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    const { rowCount } = await this.sql.query('DELETE FROM documents WHERE id = CAST(:id AS uuid)', { id });
    return rowCount > 0;
  }

  async countDocuments(userId: string): Promise<number> {
    const [row] = await this.rows('SELECT count(*) AS n FROM documents WHERE user_id = :userId', { userId });
    return Number(row?.n ?? 0);
  }

  async filterDocuments(userId: string, filter: DocumentFilter): Promise<string[]> {
    const where = documentFilterSql(filter);
    const rows = await this.rows(`SELECT id FROM documents AS d WHERE user_id = :userId${where.sql}`, { userId, ...where.params });
    return rows.map((r) => String(r.id));
  }

  searchKeywordDocuments(userId: string, search: KeywordSearch): Promise<KeywordDocumentMatch[]> {
    return this.keywords.searchDocuments(userId, search);
  }

  searchKeywordChunks(userId: string, search: KeywordSearch): Promise<KeywordChunkMatch[]> {
    return this.keywords.searchChunks(userId, search);
  }

  keywordFrequencies(userId: string, words: string[]): Promise<number[]> {
    return this.keywords.frequencies(userId, words);
  }

  async countKeywordChunks(userId: string): Promise<number> {
    const [row] = await this.rows('SELECT count(*) AS n FROM keyword_chunks WHERE user_id = :userId', { userId });
    return Number(row?.n ?? 0);
  }

  /**
   * qckstrt's relational tables with their indexes and TOAST (not the vector table: pgvector
   * reports its own), and in the note the whole database's size, which other data may share.
   */
  async storageSize(): Promise<StoreSize> {
    const tables = [...RELATIONAL_TABLES, RELATIONAL_MIGRATIONS_TABLE].map((t) => `'${t}'`).join(', ');
    const [row] = await this.rows(
      `SELECT CAST(COALESCE(sum(pg_total_relation_size(c.oid)), 0) AS bigint) AS tables,
         pg_database_size(current_database()) AS db
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname IN (${tables})`,
    );
    const bytes = Number(row?.tables ?? 0);
    return { bytes, note: `PostgreSQL: qckstrt's tables and indexes; the whole database takes ${Number(row?.db ?? 0)} bytes.` };
  }

  vocabulary(userId: string, initial: string, minLength: number, maxLength: number): Promise<string[]> {
    return this.keywords.vocabulary(userId, initial, minLength, maxLength);
  }

  /** In pages (after a migration every document is stale): a Data API response holds at most 1 MiB. */
  async documentsWithStaleKeywords(): Promise<DocumentRecord[]> {
    const documents: DocumentRecord[] = [];
    for (let after = NIL_UUID; ; ) {
      const rows = await this.rows(
        `SELECT ${DOC_COLUMNS} FROM documents WHERE keyword_version < :version AND id > CAST(:after AS uuid) ORDER BY id LIMIT ${STALE_PAGE}`,
        { version: KEYWORD_INDEX_VERSION, after },
      );
      documents.push(...rows.map(toDocument));
      if (rows.length < STALE_PAGE) return documents;
      after = String(rows.at(-1)?.id);
    }
  }

  keywordChunkCounts(): Promise<Map<string, number>> {
    return this.keywords.chunkCounts();
  }

  async createJobs(jobs: JobRecord[]): Promise<void> {
    if (jobs.length === 0) return;
    const sets = jobs.map((j): SqlParams => ({ ...j }));
    await this.sql.transaction(async () => {
      for (let i = 0; i < sets.length; i += JOBS_PER_BATCH) await this.sql.batch(INSERT_JOB, sets.slice(i, i + JOBS_PER_BATCH));
    });
  }

  async updateJob(id: string, update: JobUpdate): Promise<JobRecord> {
    const entries = Object.entries(update).filter(([, v]) => v !== undefined) as [keyof JobUpdate, string | number | null][];
    const sets = entries.map(([k]) => `${JOB_UPDATE_COLUMNS[k]} = :${k}`);
    sets.push('updated_at = CAST(:updatedAt AS timestamptz)');
    const [row] = await this.rows(`UPDATE ingestion_jobs SET ${sets.join(', ')} WHERE id = :id RETURNING ${JOB_COLUMNS}`, {
      ...Object.fromEntries(entries),
      id,
      updatedAt: new Date().toISOString(),
    });
    if (!row) throw new KbError('NotFound', `No ingestion job ${id}`);
    return toJob(row);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const [row] = await this.rows(`SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE id = :id`, { id });
    return row && toJob(row);
  }

  async listJobs(userId: string, limit: number): Promise<JobRecord[]> {
    const rows = await this.rows(
      `SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE user_id = :userId ORDER BY created_at DESC, seq DESC LIMIT :limit`,
      { userId, limit },
    );
    return rows.map(toJob);
  }

  async unfinishedJobs(): Promise<JobRecord[]> {
    const rows = await this.rows(
      `SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE state NOT IN (${FINISHED}) ORDER BY created_at, seq`,
    );
    return rows.map(toJob);
  }
}
