import { KbError } from '../../api/errors';
import type { PgDatabase } from '../../relational/postgres/pgDatabase';

export const TABLE = 'vector_embeddings';
export const HNSW_INDEX = 'vector_embeddings_embedding_hnsw';

/** pgvector stores up to 16,000 dimensions, but its HNSW index takes `vector` columns of at most 2,000. */
export const MAX_DIMENSIONS = 16_000;
export const MAX_HNSW_DIMENSIONS = 2_000;

/**
 * The dimension of the stored vectors: the `N` of the `vector(N)` column, which PostgreSQL keeps
 * as the column's type modifier, so it can never disagree with what the column accepts.
 * Undefined when the table does not exist yet.
 */
export async function storedDimensions(db: PgDatabase): Promise<number | undefined> {
  const { rows } = await db.query<{ dims: number }>(
    `SELECT a.atttypmod AS dims FROM pg_attribute a
     WHERE a.attrelid = to_regclass($1) AND a.attname = 'embedding' AND NOT a.attisdropped`,
    [TABLE],
  );
  const dims = rows[0]?.dims;
  return dims !== undefined && dims > 0 ? dims : undefined;
}

/**
 * Creates `vector_embeddings` for vectors of `dims` dimensions, or checks the existing one: a
 * different dimension with rows stored is a `DimensionMismatch`; an empty table is re-typed.
 * Runs inside the caller's transaction.
 */
export async function prepareVectorTable(db: PgDatabase, dims: number): Promise<void> {
  const stored = await storedDimensions(db);
  if (stored === dims) return;
  if (stored === undefined) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (
         id TEXT PRIMARY KEY,
         user_id TEXT NOT NULL,
         document_id TEXT NOT NULL,
         chunk_index INTEGER NOT NULL,
         content TEXT NOT NULL,
         char_start INTEGER NOT NULL,
         char_end INTEGER NOT NULL,
         embedding vector(${dims}) NOT NULL
       )`,
    );
    await db.query(`CREATE INDEX IF NOT EXISTS ${TABLE}_document_idx ON ${TABLE} (document_id)`);
    await db.query(`CREATE INDEX IF NOT EXISTS ${TABLE}_user_idx ON ${TABLE} (user_id)`);
  } else {
    const { rows } = await db.query(`SELECT 1 FROM ${TABLE} LIMIT 1`);
    if (rows.length) {
      throw new KbError(
        'DimensionMismatch',
        `The embedding model makes ${dims}-dimensional vectors, which does not match the stored ${stored}-dimensional vectors in PostgreSQL table ${TABLE}. ` +
          `Switch back to the model the library was indexed with, or re-index the library with the new model.`,
      );
    }
    // Empty: take the new model's dimension. The HNSW index is tied to the old type.
    await db.query(`DROP INDEX IF EXISTS ${HNSW_INDEX}`);
    await db.query(`ALTER TABLE ${TABLE} ALTER COLUMN embedding TYPE vector(${dims})`);
  }
  await db.query(`COMMENT ON TABLE ${TABLE} IS 'qckstrt chunk embeddings: ${dims} dimensions (the vector column''s type), cosine distance'`);
}
