import type pg from 'pg';
import type { PgDatabase } from '../../relational/postgres/pgDatabase';
import type { VectorTableNames } from './vectorTable';

/**
 * Vectors one user must own before their searches go through the HNSW index (and the index is
 * built, when the first user gets there). Measured on PostgreSQL 17 + pgvector 0.8.0 here:
 * - an exact search of one user's rows costs ~2-3 ms up to ~5,000 rows of 384-d vectors (the
 *   default model's size), about what an HNSW search costs, then grows linearly (4-9 ms at 10k,
 *   17 ms at 20k) while HNSW stays at ~2-3 ms;
 * - below it, exact search is as fast and has perfect recall, where HNSW (m 16, ef_search 100)
 *   finds 0.99 of the true top-10 on real word vectors (GloVe, 10k) and ~0.9 on synthetic clusters;
 * - building costs ~0.2 s per 1,000 rows in one go; each row inserted into an existing graph
 *   costs ~0.5-1 ms more than into a plain table, so a later build is cheaper overall.
 * Per user, not per table, because a user who owns few rows of a big table is searched far
 * faster exactly: an index scan would walk past everyone else's rows to find theirs (~50 ms for
 * a user with 50 of 20,000 rows, measured, against ~1 ms exactly).
 */
export const DEFAULT_INDEX_THRESHOLD = 5_000;
/** `maintenance_work_mem` for the build session: a graph that fits in memory builds 3-4x faster. */
export const DEFAULT_BUILD_MEMORY = '256MB';

export interface IndexStats {
  indexed: boolean;
  /** Milliseconds the build took, when this process built the index. */
  buildMs?: number;
  /** Rows in the table when this process built the index. */
  rowsAtBuild?: number;
}

export interface HnswIndexOptions {
  m: number;
  efConstruction: number;
  threshold: number;
  buildMemory: string;
  /** Longest wait for other writers' locks on an explicit `build()`. */
  lockTimeoutMs: number;
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The HNSW (`vector_cosine_ops`) index of one generation's vector table and when to use it: built "when it
 * is worth it" (not on an empty table, but once a user owns `threshold` rows, or on request after
 * a bulk load), and used for the searches of users who own at least `threshold` rows.
 *
 * A build runs on its own pool connection, outside any transaction the caller has open: a
 * document's rows and its vectors may be in an uncommitted transaction that holds a lock on the
 * table, and a build waiting for that lock from inside the same flow would never finish. So the
 * automatic build takes its lock with NOWAIT and, if writers are busy, simply tries again after
 * the next upsert.
 */
export class HnswIndex {
  private current: IndexStats = { indexed: false };
  private pending: Promise<IndexStats> | undefined;
  private readonly bigUsers = new Set<string>();

  constructor(
    private readonly db: PgDatabase,
    private readonly names: VectorTableNames,
    private readonly opts: HnswIndexOptions,
    /** False where an index would not help: pgvector < 0.8 (no iterative scans) or > 2,000 dimensions. */
    readonly enabled: boolean,
  ) {
    if (!/^\d+\s*(kB|MB|GB)$/.test(opts.buildMemory)) throw new Error(`Bad maintenance_work_mem value: ${opts.buildMemory}`);
  }

  stats(): IndexStats {
    return { ...this.current };
  }

  /** Reads whether the index exists; drops an invalid one (left by an interrupted concurrent build). */
  async load(): Promise<void> {
    const valid = await this.validity(this.db.pool);
    if (valid === false) await this.db.pool.query(`DROP INDEX IF EXISTS ${this.names.hnswIndex}`);
    this.current = { indexed: valid === true };
  }

  /** Called after a user's writes: builds the index once that user owns `threshold` rows. */
  async afterWrite(userId: string): Promise<void> {
    if (!this.enabled || this.current.indexed || this.pending) return;
    // Committed rows only (the pool, not the caller's transaction), and at most `threshold` of them.
    if ((await this.userRows('pool', userId)) < this.opts.threshold) return;
    await this.run(false);
  }

  /** Whether this user's searches should walk the index (it exists and they own enough rows). */
  async serves(userId: string): Promise<boolean> {
    if (!this.enabled || !this.current.indexed) return false;
    if (this.bigUsers.has(userId)) return true;
    // Within the caller's transaction, so rows it has just written count too.
    const big = (await this.userRows('transaction', userId)) >= this.opts.threshold;
    // Users rarely shrink: remember the big ones, re-count the others (that costs what their exact search does).
    if (big) this.bigUsers.add(userId);
    return big;
  }

  private async userRows(via: 'pool' | 'transaction', userId: string): Promise<number> {
    const sql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${this.names.table} WHERE user_id = $1 LIMIT ${this.opts.threshold}) t`;
    const { rows } = via === 'pool' ? await this.db.pool.query<{ n: number }>(sql, [userId]) : await this.db.query<{ n: number }>(sql, [userId]);
    return rows[0]!.n;
  }

  /** Builds the index now if the table has any rows (e.g. after a bulk load), waiting for writers. */
  async build(): Promise<IndexStats> {
    if (!this.enabled || this.current.indexed) return this.stats();
    return this.run(true);
  }

  private run(wait: boolean): Promise<IndexStats> {
    this.pending ??= this.buildOnce(wait).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async buildOnce(wait: boolean): Promise<IndexStats> {
    const client = await this.db.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL maintenance_work_mem = '${this.opts.buildMemory}'`);
      if (wait) await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.opts.lockTimeoutMs))}`);
      // SHARE blocks writers for the build, and NOWAIT fails at once if a writer is mid-transaction.
      await client.query(`LOCK TABLE ${this.names.table} IN SHARE MODE${wait ? '' : ' NOWAIT'}`);
      if ((await this.validity(client)) === true) {
        await client.query('COMMIT');
        this.current = { indexed: true };
        return this.stats();
      }
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.names.table}`);
      const n = rows[0]!.n;
      if (n === 0) {
        await client.query('ROLLBACK');
        return this.stats();
      }
      const t0 = performance.now();
      await client.query(`DROP INDEX IF EXISTS ${this.names.hnswIndex}`); // an invalid leftover, if any
      await client.query(
        `CREATE INDEX ${this.names.hnswIndex} ON ${this.names.table} USING hnsw (embedding vector_cosine_ops)
         WITH (m = ${this.opts.m}, ef_construction = ${this.opts.efConstruction})`,
      );
      await client.query('COMMIT');
      this.current = { indexed: true, buildMs: Math.round(performance.now() - t0), rowsAtBuild: n };
      return this.stats();
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (!wait && (err as { code?: string }).code === LOCK_NOT_AVAILABLE) return this.stats(); // busy: next time
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** true: a usable index; false: an invalid one; undefined: none. */
  private async validity(q: pg.Pool | pg.PoolClient): Promise<boolean | undefined> {
    const { rows } = await q.query<{ valid: boolean }>(
      `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
      [this.names.hnswIndex],
    );
    return rows[0]?.valid;
  }
}
