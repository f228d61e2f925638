import { KEYWORD_MIGRATION } from './keywordSchema';

/**
 * The relational schema for PostgreSQL and Aurora PostgreSQL, as numbered migrations (one list of
 * single statements each: the Data API runs one statement per call). Same tables and semantics
 * as the SQLite provider's, in PostgreSQL's types:
 *
 * - `documents.id` is UUID: the app makes every document id with `crypto.randomUUID()`, and a
 *   UUID column checks that, keeps the key and its index at 16 bytes, and is what the data-layer
 *   specification asks for. Lookups by an id that is not a UUID simply find nothing (the store
 *   checks before asking), as they do in SQLite.
 * - user and job ids stay TEXT: users have names like `local`, and jobs are looked up by whatever
 *   id a caller passes. `ingestion_jobs.document_id` is TEXT without a foreign key: a job keeps
 *   pointing at a document after it is deleted, as in SQLite.
 * - `ingestion_jobs.seq` orders jobs created in the same millisecond by insertion, the job
 *   SQLite's implicit rowid does there.
 * - timestamps are TIMESTAMPTZ; the store reads them back as the ISO strings the records carry.
 */
export const RELATIONAL_MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE users (
       id TEXT PRIMARY KEY,
       email TEXT NOT NULL UNIQUE,
       created_at TIMESTAMPTZ NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE documents (
       id UUID PRIMARY KEY,
       user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       name TEXT NOT NULL,
       source_key TEXT NOT NULL,
       source_path TEXT,
       storage_key TEXT NOT NULL,
       content TEXT NOT NULL,
       content_hash TEXT NOT NULL,
       mime_type TEXT NOT NULL,
       size BIGINT NOT NULL,
       chunk_count INTEGER NOT NULL,
       uploaded_at TIMESTAMPTZ NOT NULL,
       updated_at TIMESTAMPTZ NOT NULL,
       CONSTRAINT documents_user_source UNIQUE (user_id, source_key)
     )`,
    `CREATE INDEX documents_user_id ON documents (user_id)`,
    `CREATE INDEX documents_uploaded_at ON documents (uploaded_at DESC)`,
    `CREATE TABLE ingestion_jobs (
       seq BIGINT GENERATED ALWAYS AS IDENTITY,
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
       created_at TIMESTAMPTZ NOT NULL,
       updated_at TIMESTAMPTZ NOT NULL
     )`,
    `CREATE INDEX ingestion_jobs_state ON ingestion_jobs (state, created_at, seq)`,
    `CREATE INDEX ingestion_jobs_user ON ingestion_jobs (user_id, created_at DESC, seq DESC)`,
  ],
  [`ALTER TABLE documents ADD COLUMN outline TEXT`, `ALTER TABLE ingestion_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'file'`],
  KEYWORD_MIGRATION,
];

export const RELATIONAL_MIGRATIONS_TABLE = 'relational_migrations';

/**
 * Key of the transaction-scoped advisory lock that serialises migrations between app instances
 * sharing one database. Any constant works as long as nothing else in the database uses it for
 * something else: this one is "qckrel" in ASCII.
 */
export const RELATIONAL_MIGRATION_LOCK = 0x71636b72656c;
