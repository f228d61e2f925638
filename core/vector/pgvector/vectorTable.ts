import { KbError } from '../../api/errors';
import type { PgDatabase } from '../../relational/postgres/pgDatabase';

/** The relation names of one index generation (settings `vector.generation`). */
export interface VectorTableNames {
  /** `vector_embeddings`, or `vector_embeddings_<generation>`. */
  table: string;
  /** The HNSW (cosine) index on the embedding column. */
  hnswIndex: string;
  /** The b-tree index on document_id. */
  documentIndex: string;
  /** The b-tree index on user_id. */
  userIndex: string;
  /** The primary key (on id). */
  primaryKey: string;
}

const BASE_TABLE = 'vector_embeddings';
const GENERATION_RE = /^[a-z0-9]{0,16}$/;

/**
 * The table and index names of one index generation: `vector_embeddings` for generation '',
 * `vector_embeddings_<generation>` otherwise. The settings schema already restricts the
 * generation to 16 lower-case letters and digits; it is checked again here because the names
 * go into SQL unquoted (lower-case, so unquoted is exact, and at most 49 characters, within
 * PostgreSQL's 63).
 *
 * Tables and indexes share one namespace, so every index name has an underscore after the
 * generation's place (which a generation cannot contain) and cannot be another generation's
 * table. The one exception is the primary key PostgreSQL named `vector_embeddings_pkey` on tables
 * made before generations existed (now named explicitly): the generation `pkey` is refused.
 */
export function vectorTableNames(generation = ''): VectorTableNames {
  if (!GENERATION_RE.test(generation)) {
    throw new KbError('ValidationError', `The index generation "${generation}" must be up to 16 lower-case letters and digits.`);
  }
  if (generation === 'pkey') {
    throw new KbError('ValidationError', `The index generation "pkey" is reserved (its table name is that of an existing index).`);
  }
  const table = generation === '' ? BASE_TABLE : `${BASE_TABLE}_${generation}`;
  return {
    table,
    hnswIndex: `${table}_embedding_hnsw`,
    documentIndex: `${table}_document_idx`,
    userIndex: `${table}_user_idx`,
    primaryKey: `${table}_id_pkey`,
  };
}

/** pgvector stores up to 16,000 dimensions, but its HNSW index takes `vector` columns of at most 2,000. */
export const MAX_DIMENSIONS = 16_000;
export const MAX_HNSW_DIMENSIONS = 2_000;

/**
 * The dimension of the stored vectors: the `N` of the `vector(N)` column, which PostgreSQL keeps
 * as the column's type modifier, so it can never disagree with what the column accepts.
 * Undefined when the table does not exist yet.
 */
export async function storedDimensions(db: PgDatabase, names: VectorTableNames): Promise<number | undefined> {
  const { rows } = await db.query<{ dims: number }>(
    `SELECT a.atttypmod AS dims FROM pg_attribute a
     WHERE a.attrelid = to_regclass($1) AND a.attname = 'embedding' AND NOT a.attisdropped`,
    [names.table],
  );
  const dims = rows[0]?.dims;
  return dims !== undefined && dims > 0 ? dims : undefined;
}

/**
 * Creates the generation's table for vectors of `dims` dimensions, or checks the existing one: a
 * different dimension with rows stored is a `DimensionMismatch`; an empty table is re-typed.
 * Runs inside the caller's transaction.
 */
export async function prepareVectorTable(db: PgDatabase, names: VectorTableNames, dims: number): Promise<void> {
  const { table } = names;
  const stored = await storedDimensions(db, names);
  if (stored !== undefined) await addMissingColumns(db, names);
  if (stored === dims) return;
  if (stored === undefined) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         id TEXT CONSTRAINT ${names.primaryKey} PRIMARY KEY,
         user_id TEXT NOT NULL,
         document_id TEXT NOT NULL,
         chunk_index INTEGER NOT NULL,
         content TEXT NOT NULL,
         char_start INTEGER NOT NULL,
         char_end INTEGER NOT NULL,
         location JSONB,
         embedding vector(${dims}) NOT NULL
       )`,
    );
    await db.query(`CREATE INDEX IF NOT EXISTS ${names.documentIndex} ON ${table} (document_id)`);
    await db.query(`CREATE INDEX IF NOT EXISTS ${names.userIndex} ON ${table} (user_id)`);
  } else {
    const { rows } = await db.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length) {
      throw new KbError(
        'DimensionMismatch',
        `The embedding model makes ${dims}-dimensional vectors, which does not match the stored ${stored}-dimensional vectors in PostgreSQL table ${table}. ` +
          `Switch back to the model the library was indexed with, or re-index the library with the new model.`,
      );
    }
    // Empty: take the new model's dimension. The HNSW index is tied to the old type.
    await db.query(`DROP INDEX IF EXISTS ${names.hnswIndex}`);
    await db.query(`ALTER TABLE ${table} ALTER COLUMN embedding TYPE vector(${dims})`);
  }
  await db.query(`COMMENT ON TABLE ${table} IS 'qckstrt chunk embeddings: ${dims} dimensions (the vector column''s type), cosine distance'`);
}

/**
 * Brings a table made by an older version up to date: `location` (heading path and pages) came
 * later. Nullable without a default, so adding it is a catalogue change that rewrites no row.
 * The catalogue is asked first because ALTER TABLE takes an ACCESS EXCLUSIVE lock even when
 * IF NOT EXISTS makes it a no-op: every connect() would wait for any open transaction on the
 * table, and block all searches behind it while waiting.
 */
async function addMissingColumns(db: PgDatabase, names: VectorTableNames): Promise<void> {
  const { rows } = await db.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'location' AND NOT attisdropped`,
    [names.table],
  );
  if (rows.length === 0) await db.query(`ALTER TABLE ${names.table} ADD COLUMN IF NOT EXISTS location JSONB`);
}

/** Drops the generation's table; its indexes and comment go with it. Missing is fine. */
export async function dropVectorTable(db: PgDatabase, names: VectorTableNames): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${names.table}`);
}
