import { stat } from 'node:fs/promises';
import type { ProviderHealth } from '../api/types';
import type { StoreSize } from '../metrics/storeSize';
import { KbError } from '../api/errors';
import { changeStamp, migrate, type SqliteDb } from './sqliteDatabase';
import type { DocumentOutline } from '../ingest/parsers/types';
import { KEYWORD_INDEX_VERSION } from '../search/keywordText';
import { FINISHED, JOB_UPDATE_COLUMNS, outlineJson, parseOutline } from './records';
import { KEYWORD_MIGRATION, SqliteKeywordIndex, sqliteFilter } from './sqliteKeywords';
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
} from './types';

const MIGRATIONS = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );
   CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     source_key TEXT NOT NULL,
     source_path TEXT,
     storage_key TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     mime_type TEXT NOT NULL,
     size INTEGER NOT NULL,
     chunk_count INTEGER NOT NULL,
     content TEXT NOT NULL,
     uploaded_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (user_id, source_key)
   );
   CREATE INDEX documents_user_id ON documents(user_id);
   CREATE INDEX documents_uploaded_at ON documents(uploaded_at DESC);
   CREATE TABLE ingestion_jobs (
     id TEXT PRIMARY KEY,
     batch_id TEXT NOT NULL,
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     file_name TEXT NOT NULL,
     source_key TEXT NOT NULL,
     source_path TEXT,
     storage_key TEXT,
     state TEXT NOT NULL,
     chunks_done INTEGER NOT NULL DEFAULT 0,
     chunks_total INTEGER NOT NULL DEFAULT 0,
     document_id TEXT,
     note TEXT,
     error_kind TEXT,
     error_message TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX ingestion_jobs_state ON ingestion_jobs(state, created_at);
   CREATE INDEX ingestion_jobs_user ON ingestion_jobs(user_id, created_at DESC);`,
  `ALTER TABLE documents ADD COLUMN outline TEXT;
   ALTER TABLE ingestion_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'file';`,
  KEYWORD_MIGRATION,
  // Listing documents read past each row's text to reach the columns after it (100 ms for 3,449
  // documents of a 125k-chunk library, at every Status and start): this index answers it alone.
  `CREATE INDEX documents_listing ON documents(user_id, updated_at DESC, name, id, source_key, source_path,
     storage_key, content_hash, mime_type, size, chunk_count, uploaded_at);`,
];

const DOC_COLUMNS = `id, user_id AS userId, name, source_key AS sourceKey, source_path AS sourcePath,
  storage_key AS storageKey, content_hash AS contentHash, mime_type AS mimeType, size,
  chunk_count AS chunkCount, uploaded_at AS uploadedAt, updated_at AS updatedAt`;

const JOB_COLUMNS = `id, kind, batch_id AS batchId, user_id AS userId, file_name AS fileName,
  source_key AS sourceKey, source_path AS sourcePath, storage_key AS storageKey, state,
  chunks_done AS chunksDone, chunks_total AS chunksTotal, document_id AS documentId, note,
  error_kind AS errorKind, error_message AS errorMessage, created_at AS createdAt,
  updated_at AS updatedAt`;

/** The embedded default: better-sqlite3 on the app's own database file. */
export class SqliteRelationalStore implements RelationalStore {
  readonly provider = 'sqlite';
  private readonly keywords: SqliteKeywordIndex;
  /** Keyword chunks per user, until the next write (every search asks; counting takes 4 ms at 125k). */
  private readonly chunkCounts = new Map<string, number>();
  private chunkCountsStamp = '';

  constructor(
    private readonly db: SqliteDb,
    private readonly path: string,
  ) {
    this.keywords = new SqliteKeywordIndex(db);
  }

  async connect(): Promise<void> {
    migrate(this.db, 'relational_migrations', MIGRATIONS);
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    try {
      this.db.prepare('SELECT 1').get();
      return { provider: this.provider, available: true, latencyMs: performance.now() - start, message: this.path };
    } catch (err) {
      return {
        provider: this.provider,
        available: false,
        latencyMs: performance.now() - start,
        message: (err as Error).message,
      };
    }
  }

  async close(): Promise<void> {
    // The connection is shared with the embedded vector store; its owner closes it.
  }

  async ensureUser(id: string, email: string): Promise<void> {
    this.db
      .prepare('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING')
      .run(id, email, new Date().toISOString());
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = ?`).get(id) as DocumentRecord | undefined;
  }

  async findDocumentBySource(userId: string, sourceKey: string): Promise<DocumentRecord | undefined> {
    return this.db
      .prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE user_id = ? AND source_key = ?`)
      .get(userId, sourceKey) as DocumentRecord | undefined;
  }

  async listDocuments(userId: string): Promise<DocumentRecord[]> {
    return this.db
      .prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE user_id = ? ORDER BY updated_at DESC, name`)
      .all(userId) as DocumentRecord[];
  }

  async saveDocument(d: DocumentRecord, content: string, outline?: DocumentOutline, chunks?: KeywordChunk[]): Promise<void> {
    this.db.transaction(() => {
      this.upsertDocument(d, content, outline);
      this.keywords.write(d.id, d.userId, d.name, content, outline, chunks);
    })();
  }

  private upsertDocument(d: DocumentRecord, content: string, outline?: DocumentOutline): void {
    this.db
      .prepare(
        `INSERT INTO documents (id, user_id, name, source_key, source_path, storage_key, content_hash,
           mime_type, size, chunk_count, content, outline, uploaded_at, updated_at)
         VALUES (@id, @userId, @name, @sourceKey, @sourcePath, @storageKey, @contentHash,
           @mimeType, @size, @chunkCount, @content, @outline, @uploadedAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, source_key = excluded.source_key,
           source_path = excluded.source_path, storage_key = excluded.storage_key,
           content_hash = excluded.content_hash, mime_type = excluded.mime_type, size = excluded.size,
           chunk_count = excluded.chunk_count, content = excluded.content, outline = excluded.outline,
           updated_at = excluded.updated_at,
           -- New text without new chunk entries: the old entries are stale until re-indexed.
           keyword_version = CASE WHEN excluded.content = documents.content THEN keyword_version ELSE 0 END`,
      )
      .run({ ...d, content, outline: outlineJson(outline) });
  }

  async getDocumentOutline(id: string): Promise<DocumentOutline | undefined> {
    const row = this.db.prepare('SELECT outline FROM documents WHERE id = ?').get(id) as { outline: string | null } | undefined;
    return row ? parseOutline(row.outline) : undefined;
  }

  async documentChunkCounts(): Promise<Map<string, number>> {
    const rows = this.db.prepare('SELECT id, chunk_count AS n FROM documents').all() as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async getDocumentContent(id: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT content FROM documents WHERE id = ?').get(id) as { content: string } | undefined;
    return row?.content;
  }

  async deleteDocument(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes > 0;
  }

  async countDocuments(userId: string): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM documents WHERE user_id = ?').get(userId) as { n: number }).n;
  }

  async filterDocuments(userId: string, filter: DocumentFilter): Promise<string[]> {
    const where = sqliteFilter(filter);
    const rows = this.db.prepare(`SELECT id FROM documents d WHERE user_id = ?${where.sql}`).all(userId, ...where.params) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async searchKeywordDocuments(userId: string, search: KeywordSearch): Promise<KeywordDocumentMatch[]> {
    return this.keywords.searchDocuments(userId, search);
  }

  async searchKeywordChunks(userId: string, search: KeywordSearch): Promise<KeywordChunkMatch[]> {
    return this.keywords.searchChunks(userId, search);
  }

  async keywordFrequencies(userId: string, words: string[]): Promise<number[]> {
    return this.keywords.frequencies(userId, words);
  }

  async countKeywordChunks(userId: string): Promise<number> {
    const stamp = changeStamp(this.db);
    if (stamp !== this.chunkCountsStamp) {
      this.chunkCounts.clear();
      this.chunkCountsStamp = stamp;
    }
    let n = this.chunkCounts.get(userId);
    if (n === undefined) {
      n = this.db.prepare('SELECT count(*) FROM keyword_chunks WHERE user_id = ?').pluck().get(userId) as number;
      this.chunkCounts.set(userId, n);
    }
    return n;
  }

  /** The database file with its write-ahead log (committed pages not yet copied back live there). */
  async storageSize(): Promise<StoreSize> {
    const size = (path: string) => stat(path).then((s) => s.size, () => 0);
    const [main, wal] = await Promise.all([size(this.path), size(`${this.path}-wal`)]);
    return { bytes: main + wal };
  }

  async vocabulary(userId: string, initial: string, minLength: number, maxLength: number): Promise<string[]> {
    return this.keywords.vocabulary(userId, initial, minLength, maxLength);
  }

  async documentsWithStaleKeywords(): Promise<DocumentRecord[]> {
    return this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE keyword_version < ?`).all(KEYWORD_INDEX_VERSION) as DocumentRecord[];
  }

  async keywordChunkCounts(): Promise<Map<string, number>> {
    return this.keywords.chunkCounts();
  }

  async createJobs(jobs: JobRecord[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO ingestion_jobs (id, kind, batch_id, user_id, file_name, source_key, source_path, storage_key,
         state, chunks_done, chunks_total, document_id, note, error_kind, error_message, created_at, updated_at)
       VALUES (@id, @kind, @batchId, @userId, @fileName, @sourceKey, @sourcePath, @storageKey, @state,
         @chunksDone, @chunksTotal, @documentId, @note, @errorKind, @errorMessage, @createdAt, @updatedAt)`,
    );
    this.db.transaction((rows: JobRecord[]) => rows.forEach((j) => insert.run(j)))(jobs);
  }

  async updateJob(id: string, update: JobUpdate): Promise<JobRecord> {
    const entries = Object.entries(update).filter(([, v]) => v !== undefined) as [keyof JobUpdate, unknown][];
    const sets = entries.map(([k]) => `${JOB_UPDATE_COLUMNS[k]} = @${k}`);
    sets.push('updated_at = @updatedAt');
    const row = this.db
      .prepare(`UPDATE ingestion_jobs SET ${sets.join(', ')} WHERE id = @id RETURNING ${JOB_COLUMNS}`)
      .get({ ...Object.fromEntries(entries), id, updatedAt: new Date().toISOString() }) as JobRecord | undefined;
    if (!row) throw new KbError('NotFound', `No ingestion job ${id}`);
    return row;
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    return this.db.prepare(`SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE id = ?`).get(id) as JobRecord | undefined;
  }

  async listJobs(userId: string, limit: number): Promise<JobRecord[]> {
    return this.db
      .prepare(`SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(userId, limit) as JobRecord[];
  }

  async unfinishedJobs(): Promise<JobRecord[]> {
    return this.db
      .prepare(
        `SELECT ${JOB_COLUMNS} FROM ingestion_jobs WHERE state NOT IN (${FINISHED})
         ORDER BY created_at, rowid`,
      )
      .all() as JobRecord[];
  }
}
