import { KbError } from '../api/errors';
import type { ProviderHealth } from '../api/types';
import type { StoreSize } from '../metrics/storeSize';
import { dataVersion, migrate, type SqliteDb } from '../relational/sqliteDatabase';
import { encodeLocation, withLocation } from './chunkLocation';
import type { ChunkVector, DocumentVectors, VectorFilter, VectorMatch, VectorStore } from './types';
import { openVec0Shadow } from './vec0Shadow';
import { VectorMatrix } from './vectorMatrix';

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

const MATCH_COLUMNS = `c.chunk_id AS chunkId, c.document_id AS documentId, c.chunk_index AS chunkIndex,
  c.content, c.char_start AS charStart, c.char_end AS charEnd, c.location`;
type MatchRow = Omit<VectorMatch, 'score' | 'location'> & { location: string | null };
const toMatch = ({ location, ...m }: MatchRow, score: number): VectorMatch => withLocation({ ...m, score }, location);
const marks = (list: readonly unknown[]) => list.map(() => '?').join(',');

/** The most memory the in-memory copy of the vectors may take (100k × 384 dimensions: 154 MB). */
export const MATRIX_BUDGET_BYTES = 256 * 1024 * 1024;

/** The in-memory copy of this generation's vectors, while it is built and once it is ready. */
interface MatrixState {
  matrix: VectorMatrix;
  ready: boolean;
  /** PRAGMA data_version when the build began: another connection's commit changes it. */
  dataVersion: number;
}

export interface EmbeddedStoreOptions {
  /** Above this the vectors are searched through vec0 only (0: never build the copy). */
  matrixBudgetBytes?: number;
}

/**
 * The embedded default: sqlite-vec in the app's SQLite file. `vec_chunks` holds each chunk's
 * text and owner; the `vec_index` virtual table holds its embedding under the same rowid, with
 * the user as partition key so a query only scans that user's vectors. Search is exact.
 *
 * The process that writes the library also keeps every vector in memory (`VectorMatrix`, built
 * in the background at the first search, kept current by this store's own writes) and scans it
 * instead of asking vec0, which is 2–4× slower at 100k chunks. Searches use vec0 while it is
 * built, when it would exceed its memory budget, on a read-only connection (another process
 * writes), and from the moment another connection writes to the file until it is rebuilt.
 */
export class EmbeddedVectorStore implements VectorStore {
  readonly provider = 'embedded';
  readonly capabilities = { exact: true, transactionalWithRelational: true };
  private dims: number | undefined;
  private matrixState: MatrixState | undefined;
  /** Why the copy is not used for good (an unknown vec0 layout, a check that failed). */
  private matrixOff: string | undefined;
  private readonly matrixBudget: number;

  /** Table-name suffix of this index generation ('' for the first). */
  private readonly suffix: string;

  constructor(
    private readonly db: SqliteDb,
    generation = '',
    opts: EmbeddedStoreOptions = {},
  ) {
    this.matrixBudget = opts.matrixBudgetBytes ?? MATRIX_BUDGET_BYTES;
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
    this.matrixState = undefined;
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
    const inserted: number[] = [];
    const deleted = this.db.transaction(() => {
      const gone = this.deleteRows(documentId);
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
        inserted.push(Number(lastInsertRowid));
      }
      return gone;
    })();
    this.mirror(deleted, () => chunks.forEach((c, i) => this.matrixState?.matrix.set(inserted[i] as number, userId, c.embedding)));
  }

  /** Deletes a document's rows; returns their rowids. */
  private deleteRows(documentId: string): number[] {
    const rowids = this.prepare('SELECT rowid FROM vec_chunks WHERE document_id = ?').pluck().all(documentId) as number[];
    const delVec = this.prepare('DELETE FROM vec_index WHERE rowid = ?');
    for (const r of rowids) delVec.run(BigInt(r));
    this.prepare('DELETE FROM vec_chunks WHERE document_id = ?').run(documentId);
    return rowids;
  }

  /**
   * Applies a committed write to the in-memory copy. Inside someone else's transaction the write
   * may still be rolled back, so the copy is dropped instead (rebuilt at a later search).
   */
  private mirror(deleted: number[], add?: () => void): void {
    const state = this.matrixState;
    if (!state) return;
    if (this.db.inTransaction) {
      this.matrixState = undefined;
      return;
    }
    for (const rowid of deleted) state.matrix.delete(rowid);
    add?.();
  }

  /** The copy if it is ready and current; otherwise starts building it and answers undefined. */
  private readyMatrix(): VectorMatrix | undefined {
    const state = this.matrixState;
    if (state && state.dataVersion !== dataVersion(this.db)) {
      this.matrixState = undefined; // another connection wrote: this copy may be stale
    } else if (state) {
      return state.ready ? state.matrix : undefined;
    }
    if (this.matrixOff === undefined && !this.db.readonly && this.matrixBudget > 0) {
      this.buildMatrix().catch((err: unknown) => {
        this.matrixState = undefined;
        this.matrixOff = `could not build it: ${(err as Error).message}`;
      });
    }
    return undefined;
  }

  /**
   * Reads every vector into a new copy, a few vec0 chunks (1,024 vectors each) per turn of the
   * event loop, then checks it against the tables. Writes made meanwhile go into it as well
   * (`mirror`), so it is current when the last chunk is read.
   */
  private async buildMatrix(): Promise<void> {
    const dims = this.requireDims();
    // Synchronous up to the first chunk: two searches in a row start one build, not two.
    const rows = this.prepare('SELECT count(*) FROM vec_chunks').pluck().get() as number;
    const matrix = new VectorMatrix(dims, Math.max(1024, rows));
    if (matrix.bytes > this.matrixBudget) {
      this.matrixOff = `${rows} vectors would take more than ${Math.round(this.matrixBudget / 2 ** 20)} MB in memory`;
      return;
    }
    const shadow = openVec0Shadow(this.db, this.named('vec_index'), dims);
    if (!shadow) {
      this.matrixOff = 'the sqlite-vec storage layout is not the one this version reads';
      return;
    }
    const state: MatrixState = { matrix, ready: false, dataVersion: dataVersion(this.db) };
    this.matrixState = state;
    const chunkIds = shadow.chunkIds();
    for (let i = 0; i < chunkIds.length; i++) {
      if (i % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.matrixState !== state) return; // dropped, closed or stale meanwhile
      const chunk = shadow.read(chunkIds[i] as number);
      if (!chunk) throw new Error(`vec0 chunk ${chunkIds[i]} could not be read`);
      for (let slot = 0; slot < chunk.size; slot++) {
        if (chunk.valid(slot)) matrix.set(Number(chunk.rowids[slot]), chunk.userId, chunk.vector(slot));
      }
    }
    if (this.matrixState !== state) return;
    this.checkMatrix(matrix);
    state.ready = true;
  }

  /** The copy must hold exactly the table's rows, with their vectors (a few compared). */
  private checkMatrix(matrix: VectorMatrix): void {
    const rowids = this.prepare('SELECT rowid FROM vec_chunks ORDER BY rowid').pluck().all() as number[];
    if (rowids.length !== matrix.count || rowids.some((r) => !matrix.has(r))) {
      throw new Error(`it holds ${matrix.count} vectors where the table has ${rowids.length}`);
    }
    const stored = this.prepare('SELECT embedding FROM vec_index WHERE rowid = ?').pluck();
    for (const rowid of [rowids[0], rowids[rowids.length >> 1], rowids.at(-1)]) {
      if (rowid === undefined) continue;
      const vector = new Float32Array(new Uint8Array(stored.get(BigInt(rowid)) as Buffer).buffer);
      const [hit] = matrix.topAmong(vector, [rowid], 1);
      if (!hit || hit.score < 1 - 1e-5) throw new Error(`its vector of row ${rowid} differs from the table's`);
    }
  }

  async query(embedding: Float32Array, userId: string, topK: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    this.checkDims(embedding);
    const ids = filter?.documentIds;
    if (ids?.length === 0) return [];
    const matrix = this.readyMatrix();
    if (matrix) {
      const hits = ids
        ? matrix.topAmong(
            embedding,
            this.prepare(`SELECT rowid FROM vec_chunks INDEXED BY vec_chunks_document WHERE user_id = ? AND document_id IN (${marks(ids)})`)
              .pluck()
              .all(userId, ...ids) as number[],
            topK,
          )
        : matrix.top(embedding, userId, topK);
      if (hits.length === 0) return [];
      const found = this
        .prepare(`SELECT c.rowid, ${MATCH_COLUMNS} FROM vec_chunks c WHERE c.user_id = ? AND c.rowid IN (${marks(hits)})`)
        .all(userId, ...hits.map((h) => h.rowid)) as (MatchRow & { rowid: number })[];
      const byRowid = new Map(found.map(({ rowid, ...r }) => [rowid, r]));
      return hits.flatMap((h) => {
        const row = byRowid.get(h.rowid);
        return row ? [toMatch(row, h.score)] : [];
      });
    }
    let rows: (MatchRow & { distance: number })[];
    if (ids) {
      // A document filter: exact distances over just those documents' chunks. Found through the
      // document index: the planner otherwise walks every chunk of the user (measured 35× slower
      // at 11k chunks), and each vec0 row it visits costs a lookup.
      rows = this
        .prepare(
          `SELECT ${MATCH_COLUMNS}, vec_distance_cosine(v.embedding, ?) AS distance
           FROM vec_chunks c INDEXED BY vec_chunks_document JOIN vec_index v ON v.rowid = c.rowid
           WHERE c.user_id = ? AND c.document_id IN (${marks(ids)})
           ORDER BY distance LIMIT ?`,
        )
        .all(embedding, userId, ...ids, topK) as typeof rows;
    } else {
      rows = this
        .prepare(
          `WITH knn AS (
             SELECT rowid, distance FROM vec_index WHERE embedding MATCH ? AND k = ? AND user_id = ?
           )
           SELECT ${MATCH_COLUMNS}, knn.distance FROM knn JOIN vec_chunks c ON c.rowid = knn.rowid
           WHERE c.user_id = ? ORDER BY knn.distance`,
        )
        .all(embedding, topK, userId, userId) as typeof rows;
    }
    return rows.map(({ distance, ...row }) => toMatch(row, 1 - distance));
  }

  /** Whether searches scan the in-memory copy, and why not when they do not (Status, tests). */
  memoryIndex(): { state: 'ready' | 'building' | 'off'; vectors: number; bytes: number; reason?: string } {
    const state = this.matrixState;
    if (state) return { state: state.ready ? 'ready' : 'building', vectors: state.matrix.count, bytes: state.matrix.bytes };
    const reason = this.matrixOff ?? (this.db.readonly ? 'another process writes this library' : this.matrixBudget <= 0 ? 'turned off' : 'not built yet (the next search starts it)');
    return { state: 'off', vectors: 0, bytes: 0, reason };
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
    const deleted = this.db.transaction(() => this.deleteRows(documentId))();
    this.mirror(deleted);
    return deleted.length;
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
    this.matrixState = undefined;
    this.db.transaction(() => {
      for (const t of ['vec_index', 'vec_chunks', 'vec_meta']) this.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.exec(`DROP TABLE IF EXISTS ${this.migrationsTable}`);
    })();
    this.dims = undefined;
  }

  async close(): Promise<void> {
    // The connection is shared with the relational store; its owner closes it.
    this.matrixState = undefined;
  }
}
