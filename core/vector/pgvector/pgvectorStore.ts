import { KbError } from '../../api/errors';
import type { Settings } from '../../api/settings';
import type { ChunkLocation, ProviderHealth } from '../../api/types';
import type { StoreSize } from '../../metrics/storeSize';
import { isPgUnavailable, type PgDatabase } from '../../relational/postgres/pgDatabase';
import { mapProviderErrors } from '../../util/providerErrors';
import { encodeLocation, withLocation } from '../chunkLocation';
import type { ChunkVector, DocumentVectors, VectorFilter, VectorMatch, VectorStore } from '../types';
import { DEFAULT_BUILD_MEMORY, DEFAULT_INDEX_THRESHOLD, HnswIndex, type IndexStats } from './hnswIndex';
import { ensureVectorExtension, registerVectorType, type VectorExtensionInfo } from './pgvectorExtension';
import { CHUNK_COLUMNS, nearestChunksSql } from './querySql';
import { searchSettings, type SearchMode } from './searchSettings';
import { fromVectorSql, toVectorSql } from './vectorText';
import { dropVectorTable, MAX_DIMENSIONS, MAX_HNSW_DIMENSIONS, prepareVectorTable, vectorTableNames, type VectorTableNames } from './vectorTable';

type VectorSettings = Settings['vector'];

export interface PgvectorStoreOptions {
  /**
   * Whether `close()` ends the pool. Off by default: the pool is the relational store's too
   * ("reusing the relational Postgres connection"), and its owner closes it.
   */
  ownsDb?: boolean;
  /**
   * Vectors a user must own before the HNSW index is built and their searches use it; smaller
   * users are searched exactly (default `DEFAULT_INDEX_THRESHOLD`, see there for why).
   */
  indexThreshold?: number;
  /** `maintenance_work_mem` for the index build (default `DEFAULT_BUILD_MEMORY`). */
  indexBuildMemory?: string;
}

/** Rows per multi-row INSERT: 9 parameters a row stays far below PostgreSQL's 65,535. */
const INSERT_BATCH = 500;
/** Documents per keyset page when scanning. */
const SCAN_PAGE = 100;
const HEALTH_TIMEOUT_MS = 5_000;
/** Serialises concurrent connect() calls (two stores, two app instances) on one database. */
const CONNECT_LOCK = 0x71636b73; // "qcks"

interface ChunkRow {
  id: string;
  document_id: string;
  chunk_index: number;
  content: string;
  char_start: number;
  char_end: number;
  /** jsonb: already parsed by the driver, or null. */
  location: unknown;
}

/**
 * PostgreSQL text cannot hold NUL, which text pulled out of binary formats sometimes does. U+FFFD
 * (one UTF-16 unit, like NUL) keeps every character offset of the chunk valid.
 */
const pgText = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);

/** The location as jsonb text. jsonb refuses the `\u0000` escape as text refuses NUL: same fix for headings. */
const pgLocation = (location: ChunkLocation | undefined) =>
  encodeLocation(location?.headingPath ? { ...location, headingPath: location.headingPath.map(pgText) } : location);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KbError('ProviderUnavailable', `${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Vectors in PostgreSQL with pgvector: table `vector_embeddings` (one row per chunk, `vector(N)`;
 * `vector_embeddings_<generation>` for a later index generation) in the relational database, on the relational store's pool. Writes go through
 * `db.transaction`, so when the service wraps a document's row and its vectors in one
 * transaction they commit or roll back together. A user's search is exact while they own few
 * vectors and HNSW (cosine) once they own enough to need it, with iterative index scans so the
 * per-user filter still yields the full top-K.
 */
export class PgvectorStore implements VectorStore {
  readonly provider = 'pgvector';
  readonly capabilities = { exact: false, transactionalWithRelational: true };
  private dims: number | undefined;
  private ext: VectorExtensionInfo | undefined;
  private index: HnswIndex | undefined;
  private closed = false;
  /** This generation's table and index names. */
  readonly names: VectorTableNames;

  constructor(
    private readonly db: PgDatabase,
    private readonly settings: VectorSettings,
    private readonly options: PgvectorStoreOptions = {},
  ) {
    this.names = vectorTableNames(settings.generation ?? '');
  }

  async connect(dimensions: number): Promise<void> {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new KbError('ValidationError', `pgvector stores 1 to ${MAX_DIMENSIONS} dimensions, not ${dimensions}.`);
    }
    const ext = await this.db.transaction(async () => {
      await this.db.query('SELECT pg_advisory_xact_lock($1)', [CONNECT_LOCK]);
      const info = await ensureVectorExtension(this.db);
      await prepareVectorTable(this.db, this.names, dimensions);
      return info;
    });
    // Only now does the vector type exist, so only now can connections register it.
    await registerVectorType(this.db);
    const index = new HnswIndex(
      this.db,
      this.names,
      {
        m: this.settings.pgvector.hnswM,
        efConstruction: this.settings.pgvector.hnswEfConstruction,
        threshold: Math.max(1, this.options.indexThreshold ?? DEFAULT_INDEX_THRESHOLD),
        buildMemory: this.options.indexBuildMemory ?? DEFAULT_BUILD_MEMORY,
        lockTimeoutMs: this.settings.timeoutMs,
      },
      ext.iterativeScan && dimensions <= MAX_HNSW_DIMENSIONS,
    );
    await index.load();
    this.ext = ext;
    this.index = index;
    this.dims = dimensions;
    this.closed = false;
  }

  async isAvailable(): Promise<ProviderHealth> {
    const t0 = performance.now();
    const health = (available: boolean, message: string): ProviderHealth => ({
      provider: this.provider,
      available,
      latencyMs: performance.now() - t0,
      message,
    });
    try {
      const { rows } = await withTimeout(
        this.db.query<{ v: string | null; a: string | null; s: string }>(
          `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS v,
                  (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS a,
                  current_setting('server_version') AS s`,
        ),
        Math.min(this.settings.timeoutMs, HEALTH_TIMEOUT_MS),
        'PostgreSQL',
      );
      const { v, a, s } = rows[0]!;
      if (!a) return health(false, `The pgvector extension is not installed on this PostgreSQL server (PostgreSQL ${s})`);
      // Installed but not yet enabled here: connect() enables it (CREATE EXTENSION), so a
      // connection test before the first switch must not fail on it.
      if (!v) return health(true, `pgvector ${a} on PostgreSQL ${s}; it is enabled in this database on first use`);
      const note = this.ext && !this.ext.iterativeScan ? ' — older than 0.8: searching exactly, without the HNSW index' : '';
      return health(true, `pgvector ${v} on PostgreSQL ${s}${note}`);
    } catch (err) {
      return health(false, this.db.redact((err as Error).message));
    }
  }

  dimensions(): number | undefined {
    return this.dims;
  }

  /** Whether the HNSW index exists and, if this process built it, how long that took. */
  indexStats(): IndexStats {
    return this.index?.stats() ?? { indexed: false };
  }

  /** Builds the HNSW index now if there are rows (call after a bulk load, e.g. a migration). */
  async buildIndex(): Promise<IndexStats> {
    this.requireDims();
    return this.index!.build();
  }

  private requireDims(): number {
    if (this.dims === undefined || this.closed) throw new KbError('ProviderUnavailable', 'The pgvector store is not connected');
    return this.dims;
  }

  private checkDims(embedding: Float32Array): void {
    const dims = this.requireDims();
    if (embedding.length !== dims) {
      throw new KbError('DimensionMismatch', `A vector has ${embedding.length} dimensions; the store expects ${dims}.`);
    }
    if (!embedding.every(Number.isFinite)) {
      throw new KbError('ValidationError', 'A vector contains NaN or infinite values (the embedding model failed on this text).');
    }
  }

  async upsert(userId: string, documentId: string, chunks: ChunkVector[]): Promise<void> {
    chunks.forEach((c) => this.checkDims(c.embedding));
    await this.db.transaction(async () => {
      await this.db.query(`DELETE FROM ${this.names.table} WHERE document_id = $1`, [documentId]);
      for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
        const batch = chunks.slice(start, start + INSERT_BATCH);
        const values: unknown[] = [];
        const tuples = batch.map((c) => {
          const p = values.length;
          values.push(c.id, userId, documentId, c.chunkIndex, pgText(c.content), c.charStart, c.charEnd);
          values.push(pgLocation(c.location), toVectorSql(c.embedding));
          return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}::jsonb, $${p + 9}::vector)`;
        });
        await this.db.query(
          `INSERT INTO ${this.names.table} (id, user_id, document_id, chunk_index, content, char_start, char_end, location, embedding)
           VALUES ${tuples.join(', ')}
           ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, document_id = EXCLUDED.document_id,
             chunk_index = EXCLUDED.chunk_index, content = EXCLUDED.content, char_start = EXCLUDED.char_start,
             char_end = EXCLUDED.char_end, location = EXCLUDED.location, embedding = EXCLUDED.embedding`,
          values,
        );
      }
    });
    await this.index!.afterWrite(userId);
  }

  async query(embedding: Float32Array, userId: string, topK: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    this.checkDims(embedding);
    const ids = filter?.documentIds;
    if (!Number.isInteger(topK) || topK < 1 || (ids && ids.length === 0)) return [];
    const vector = toVectorSql(embedding);
    const search = (m: SearchMode) =>
      // One transaction, so the SET LOCALs apply to the connection that runs the query (and an
      // enclosing transaction of the caller's is joined rather than bypassed).
      this.db.transaction(async () => {
        const settings = searchSettings(m, { efSearch: this.settings.pgvector.efSearch, topK, timeoutMs: this.settings.timeoutMs });
        await this.db.query(`SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, settings.flat());
        const { rows } = await this.db.query<ChunkRow & { distance: number }>(
          nearestChunksSql(this.names, !!ids),
          ids ? [vector, userId, topK, ids] : [vector, userId, topK],
        );
        return rows;
      });
    // The index for users who own enough rows; a document filter is left to the planner (the
    // document_id index usually narrows it down best); everything else is searched exactly.
    const mode: SearchMode = ids ? 'planner' : (await this.index!.serves(userId)) ? 'index' : 'exact';
    let rows = await search(mode);
    // An iterative scan stops after hnsw.max_scan_tuples; if that left the answer short (a user
    // with few rows in a big table), the exact plan over the user's rows still gives the full top-K.
    if (rows.length < topK && mode !== 'exact' && this.indexStats().indexed) rows = await search('exact');
    // relaxed_order may return neighbours slightly out of order.
    return rows
      .map((r) =>
        withLocation(
          {
            chunkId: r.id,
            documentId: r.document_id,
            chunkIndex: r.chunk_index,
            content: r.content,
            charStart: r.char_start,
            charEnd: r.char_end,
            score: 1 - Number(r.distance),
          },
          r.location,
        ),
      )
      .sort((a, b) => b.score - a.score);
  }

  async deleteByDocument(documentId: string): Promise<number> {
    this.requireDims();
    const { rowCount } = await this.db.query(`DELETE FROM ${this.names.table} WHERE document_id = $1`, [documentId]);
    return rowCount ?? 0;
  }

  /** This generation's table with its indexes (HNSW included) and TOAST; 0 before it exists. */
  async storageSize(): Promise<StoreSize> {
    const { rows } = await this.db.query<{ bytes: string | null }>(
      'SELECT pg_total_relation_size(to_regclass($1)) AS bytes',
      [this.names.table],
    );
    return { bytes: Number(rows[0]?.bytes ?? 0) };
  }

  async count(userId?: string): Promise<number> {
    this.requireDims();
    const { rows } = userId
      ? await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.names.table} WHERE user_id = $1`, [userId])
      : await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.names.table}`);
    return rows[0]!.n;
  }

  /** One GROUP BY in the database: only ids and counts cross the wire, no chunk text or vector. */
  async documentChunkCounts(): Promise<Map<string, number>> {
    this.requireDims();
    const { rows } = await this.db.query<{ document_id: string; n: number }>(
      `SELECT document_id, count(*)::int AS n FROM ${this.names.table} GROUP BY document_id`,
    );
    return new Map(rows.map((r) => [r.document_id, r.n]));
  }

  /** No stamp: the full check is one GROUP BY in the database, and rows and vectors may share a transaction. */
  async contentStamp(): Promise<string | undefined> {
    return undefined;
  }

  /** Keyset pagination by document id: one document's chunks in memory at a time. */
  async *scanDocuments(): AsyncIterable<DocumentVectors> {
    this.requireDims();
    let after: string | undefined;
    for (;;) {
      const { rows: docs } = await this.db.query<{ document_id: string; user_id: string }>(
        `SELECT document_id, min(user_id) AS user_id FROM ${this.names.table}
         ${after === undefined ? '' : 'WHERE document_id > $2'}
         GROUP BY document_id ORDER BY document_id LIMIT $1`,
        after === undefined ? [SCAN_PAGE] : [SCAN_PAGE, after],
      );
      for (const d of docs) {
        const { rows } = await this.db.query<ChunkRow & { embedding: unknown }>(
          `SELECT ${CHUNK_COLUMNS}, embedding FROM ${this.names.table} WHERE document_id = $1 ORDER BY chunk_index`,
          [d.document_id],
        );
        yield {
          userId: d.user_id,
          documentId: d.document_id,
          chunks: rows.map((r) =>
            withLocation(
              {
                id: r.id,
                chunkIndex: r.chunk_index,
                content: r.content,
                charStart: r.char_start,
                charEnd: r.char_end,
                embedding: fromVectorSql(r.embedding),
              },
              r.location,
            ),
          ),
        };
      }
      if (docs.length < SCAN_PAGE) return;
      after = docs[docs.length - 1]!.document_id;
    }
  }

  /**
   * Drops this generation's table with its indexes and forgets what was known of it (dimension,
   * HNSW state): the store is unusable until `connect()`, which starts a fresh table.
   */
  async drop(): Promise<void> {
    this.dims = undefined;
    this.index = undefined;
    await this.db.transaction(async () => {
      // The connect lock, so a drop never interleaves with another store preparing the same table.
      await this.db.query('SELECT pg_advisory_xact_lock($1)', [CONNECT_LOCK]);
      await dropVectorTable(this.db, this.names);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.options.ownsDb) await this.db.close();
  }
}

/** The pgvector provider on the (shared) PostgreSQL pool, with lost-server errors as ProviderUnavailable. */
export function pgvectorStore(db: PgDatabase, settings: VectorSettings, options?: PgvectorStoreOptions): PgvectorStore {
  return mapProviderErrors(new PgvectorStore(db, settings, options), 'pgvector', isPgUnavailable);
}
