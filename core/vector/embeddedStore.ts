import { KbError } from '../api/errors';
import type { ProviderHealth } from '../api/types';
import type { StoreSize } from '../metrics/storeSize';
import { migrate, type SqliteDb } from '../relational/sqliteDatabase';
import { encodeLocation, withLocation } from './chunkLocation';
import type { ChunkVector, DocumentVectors, VectorFilter, VectorMatch, VectorStore } from './types';

const MIGRATIONS = [
  `CREATE TABLE vec_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE vec_chunks (
     rowid INTEGER PRIMARY KEY,
     chunk_id TEXT NOT NULL UNIQUE,
     user_id TEXT NOT NULL,
     document_id TEXT NOT NULL,
     chunk_index INTEGER NOT NULL,
     content TEXT NOT NULL,
     char_start INTEGER NOT NULL,
     char_end INTEGER NOT NULL
   );
   CREATE INDEX vec_chunks_document ON vec_chunks(document_id);
   CREATE INDEX vec_chunks_user ON vec_chunks(user_id);`,
  // Heading path and pages (JSON, see chunkLocation.ts). Nullable, so rows written before it
  // simply have none, and adding it rewrites nothing (SQLite only changes the table's schema).
  `ALTER TABLE vec_chunks ADD COLUMN location TEXT;`,
];

/**
 * The embedded default: sqlite-vec in the app's SQLite file. `vec_chunks` holds each chunk's
 * text and owner; the `vec_index` virtual table holds its embedding under the same rowid, with
 * the user as partition key so a query only scans that user's vectors. Search is exact.
 */
export class EmbeddedVectorStore implements VectorStore {
  readonly provider = 'embedded';
  readonly capabilities = { exact: true, transactionalWithRelational: true };
  private dims: number | undefined;

  /** Table-name suffix of this index generation ('' for the first). */
  private readonly suffix: string;

  constructor(
    private readonly db: SqliteDb,
    generation = '',
  ) {
    if (!/^[a-z0-9]{0,16}$/.test(generation)) throw new KbError('ValidationError', `Invalid index generation "${generation}"`);
    this.suffix = generation ? `_${generation}` : '';
  }

  /** This generation's table names in a statement (vec_chunks → vec_chunks_g2, and so on). */
  private named(sql: string): string {
    return this.suffix ? sql.replace(/\bvec_(meta|chunks|index)/g, `vec_$1${this.suffix}`) : sql;
  }

  private prepare(sql: string) {
    return this.db.prepare(this.named(sql));
  }

  private exec(sql: string): void {
    this.db.exec(this.named(sql));
  }

  private get migrationsTable(): string {
    return `vector_migrations${this.suffix}`;
  }

  async connect(dimensions: number): Promise<void> {
    migrate(this.db, this.migrationsTable, MIGRATIONS.map((m) => this.named(m)));
    const row = this.prepare(`SELECT value FROM vec_meta WHERE key = 'dimensions'`).get() as
      | { value: string }
      | undefined;
    const existing = row ? Number(row.value) : undefined;
    if (existing === dimensions) {
      this.dims = dimensions;
      return;
    }
    if (existing !== undefined && (await this.count()) > 0) {
      throw new KbError(
        'DimensionMismatch',
        `The embedding model makes ${dimensions}-dimensional vectors but the embedded store holds ${existing}-dimensional ones. Re-index with the model the library was built with, or rebuild the index.`,
      );
    }
    this.db.transaction(() => {
      this.exec('DROP TABLE IF EXISTS vec_index');
      this.exec(
        `CREATE VIRTUAL TABLE vec_index USING vec0(user_id text partition key, embedding float[${dimensions}] distance_metric=cosine)`,
      );
      this
        .prepare(`INSERT INTO vec_meta (key, value) VALUES ('dimensions', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
        .run(String(dimensions));
    })();
    this.dims = dimensions;
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    try {
      const { v } = this.prepare('SELECT vec_version() AS v').get() as { v: string };
      return { provider: this.provider, available: true, latencyMs: performance.now() - start, message: `sqlite-vec ${v}` };
    } catch (err) {
      return { provider: this.provider, available: false, latencyMs: performance.now() - start, message: (err as Error).message };
    }
  }

  dimensions(): number | undefined {
    return this.dims;
  }

  private requireDims(): number {
    if (this.dims === undefined) throw new KbError('ProviderUnavailable', 'The vector store is not connected');
    return this.dims;
  }

  private checkDims(embedding: Float32Array): void {
    const dims = this.requireDims();
    if (embedding.length !== dims) {
      throw new KbError('DimensionMismatch', `A vector has ${embedding.length} dimensions; the store expects ${dims}.`);
    }
  }

  async upsert(userId: string, documentId: string, chunks: ChunkVector[]): Promise<void> {
    chunks.forEach((c) => this.checkDims(c.embedding));
    const insertChunk = this.prepare(
      `INSERT INTO vec_chunks (chunk_id, user_id, document_id, chunk_index, content, char_start, char_end, location)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertVec = this.prepare('INSERT INTO vec_index (rowid, user_id, embedding) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.deleteRows(documentId);
      for (const c of chunks) {
        const { lastInsertRowid } = insertChunk.run(
          c.id,
          userId,
          documentId,
          c.chunkIndex,
          c.content,
          c.charStart,
          c.charEnd,
          encodeLocation(c.location),
        );
        insertVec.run(BigInt(lastInsertRowid), userId, c.embedding);
      }
    })();
  }

  private deleteRows(documentId: string): number {
    const rows = this.prepare('SELECT rowid FROM vec_chunks WHERE document_id = ?').all(documentId) as { rowid: number }[];
    const delVec = this.prepare('DELETE FROM vec_index WHERE rowid = ?');
    for (const r of rows) delVec.run(BigInt(r.rowid));
    this.prepare('DELETE FROM vec_chunks WHERE document_id = ?').run(documentId);
    return rows.length;
  }

  async query(embedding: Float32Array, userId: string, topK: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    this.checkDims(embedding);
    const columns = `c.chunk_id AS chunkId, c.document_id AS documentId, c.chunk_index AS chunkIndex,
      c.content, c.char_start AS charStart, c.char_end AS charEnd, c.location`;
    type Row = Omit<VectorMatch, 'score' | 'location'> & { location: string | null; distance: number };
    let rows: Row[];
    if (filter?.documentIds) {
      // A document filter: exact distances over just those documents' chunks. Found through the
      // document index: the planner otherwise walks every chunk of the user (measured 35× slower
      // at 11k chunks), and each vec0 row it visits costs a lookup.
      const ids = filter.documentIds;
      if (ids.length === 0) return [];
      rows = this
        .prepare(
          `SELECT ${columns}, vec_distance_cosine(v.embedding, ?) AS distance
           FROM vec_chunks c INDEXED BY vec_chunks_document JOIN vec_index v ON v.rowid = c.rowid
           WHERE c.user_id = ? AND c.document_id IN (${ids.map(() => '?').join(',')})
           ORDER BY distance LIMIT ?`,
        )
        .all(embedding, userId, ...ids, topK) as Row[];
    } else {
      rows = this
        .prepare(
          `WITH knn AS (
             SELECT rowid, distance FROM vec_index WHERE embedding MATCH ? AND k = ? AND user_id = ?
           )
           SELECT ${columns}, knn.distance FROM knn JOIN vec_chunks c ON c.rowid = knn.rowid
           WHERE c.user_id = ? ORDER BY knn.distance`,
        )
        .all(embedding, topK, userId, userId) as Row[];
    }
    return rows.map(({ distance, location, ...m }) => withLocation({ ...m, score: 1 - distance }, location));
  }

  async *scanDocuments(): AsyncIterable<DocumentVectors> {
    const docs = this
      .prepare('SELECT DISTINCT user_id AS userId, document_id AS documentId FROM vec_chunks ORDER BY document_id')
      .all() as { userId: string; documentId: string }[];
    const chunksOf = this.prepare(
      `SELECT c.chunk_id AS id, c.chunk_index AS chunkIndex, c.content, c.char_start AS charStart,
              c.char_end AS charEnd, c.location, v.embedding
       FROM vec_chunks c JOIN vec_index v ON v.rowid = c.rowid
       WHERE c.document_id = ? ORDER BY c.chunk_index`,
    );
    for (const d of docs) {
      type Row = Omit<ChunkVector, 'embedding' | 'location'> & { embedding: Buffer; location: string | null };
      const rows = chunksOf.all(d.documentId) as Row[];
      yield {
        ...d,
        chunks: rows.map(({ embedding, location, ...r }) =>
          withLocation(
            { ...r, embedding: new Float32Array(embedding.buffer.slice(embedding.byteOffset, embedding.byteOffset + embedding.byteLength)) },
            location,
          ),
        ),
      };
    }
  }

  async deleteByDocument(documentId: string): Promise<number> {
    return this.db.transaction(() => this.deleteRows(documentId))();
  }

  /** The vectors share the relational store's SQLite file: their bytes are counted there, once. */
  async storageSize(): Promise<StoreSize> {
    return { note: 'Embedded vectors live in the SQLite file; its size includes them.' };
  }

  async count(userId?: string): Promise<number> {
    const row = (userId
      ? this.prepare('SELECT COUNT(*) AS n FROM vec_chunks WHERE user_id = ?').get(userId)
      : this.prepare('SELECT COUNT(*) AS n FROM vec_chunks').get()) as { n: number };
    return row.n;
  }

  async documentChunkCounts(): Promise<Map<string, number>> {
    const rows = this.prepare('SELECT document_id AS documentId, COUNT(*) AS n FROM vec_chunks GROUP BY document_id').all() as {
      documentId: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.documentId, r.n]));
  }

  /** No stamp: the full check is one GROUP BY over an index in this file (100k chunks: tens of ms). */
  async contentStamp(): Promise<string | undefined> {
    return undefined;
  }

  async drop(): Promise<void> {
    this.db.transaction(() => {
      for (const t of ['vec_index', 'vec_chunks', 'vec_meta']) this.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.exec(`DROP TABLE IF EXISTS ${this.migrationsTable}`);
    })();
    this.dims = undefined;
  }

  async close(): Promise<void> {
    // The connection is shared with the relational store; its owner closes it.
  }
}
