import type { SqliteDb } from '../relational/sqliteDatabase';

/** One storage chunk of a vec0 table: up to 1,024 vectors of one partition (here: one user). */
export interface Vec0Chunk {
  userId: string;
  /** rowid of each slot; only the slots marked valid hold a live row. */
  rowids: BigInt64Array;
  valid(slot: number): boolean;
  /** The slot's vector (a view, valid until the next read). */
  vector(slot: number): Float32Array;
  size: number;
}

/**
 * Reads a vec0 table's vectors from its shadow tables (`<t>_chunks` and `<t>_vector_chunks00`)
 * instead of through the virtual table: ~1 ms per 1,024 vectors, where reading them through
 * vec0 takes 1.0–1.4 s for 125k (measured). This is sqlite-vec 0.1's storage layout (the pinned
 * version); `openVec0Shadow` returns undefined for any other, and the caller checks what it read
 * against the table itself before using it.
 */
export function openVec0Shadow(db: SqliteDb, table: string, dims: number): { chunkIds(): number[]; read(chunkId: number): Vec0Chunk | undefined } | undefined {
  const version = db.prepare(`SELECT value FROM "${table}_info" WHERE key = 'CREATE_VERSION'`).pluck().get() as string | undefined;
  if (!version?.startsWith('v0.1.')) return undefined;
  const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}_chunks')`).pluck().all() as string[]).join(',');
  if (columns !== 'chunk_id,size,sequence_id,partition00,validity,rowids') return undefined;
  const chunkRow = db.prepare(`SELECT size, partition00 AS userId, validity, rowids FROM "${table}_chunks" WHERE chunk_id = ?`);
  const vectorsOf = db.prepare(`SELECT vectors FROM "${table}_vector_chunks00" WHERE rowid = ?`).pluck();
  return {
    chunkIds: () => db.prepare(`SELECT chunk_id FROM "${table}_chunks" ORDER BY chunk_id`).pluck().all() as number[],
    read(chunkId) {
      const row = chunkRow.get(chunkId) as { size: number; userId: string; validity: Buffer; rowids: Buffer } | undefined;
      const blob = vectorsOf.get(chunkId) as Buffer | undefined;
      if (!row || !blob || row.rowids.length < row.size * 8 || blob.length < row.size * dims * 4 || row.validity.length * 8 < row.size) return undefined;
      // Copies: the blobs' offsets need not be aligned for typed-array views.
      const rowids = new BigInt64Array(new Uint8Array(row.rowids).buffer, 0, row.size);
      const vectors = new Float32Array(new Uint8Array(blob).buffer, 0, row.size * dims);
      const { validity } = row;
      return {
        userId: row.userId,
        rowids,
        size: row.size,
        valid: (slot) => ((validity[slot >> 3] as number) & (1 << (slot & 7))) !== 0,
        vector: (slot) => vectors.subarray(slot * dims, (slot + 1) * dims),
      };
    },
  };
}
