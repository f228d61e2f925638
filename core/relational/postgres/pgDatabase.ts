import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { KbError } from '../../api/errors';
import { redactConnectionStrings } from '../../api/postgresUrl';
import type { Settings } from '../../api/settings';
import type { PoolUse } from '../../api/types';

type PgSettings = Settings['relational']['postgres'];
export type PgClient = pg.ClientBase;

/**
 * Errors that mean the server cannot be used (unreachable, gone, shutting down, or refusing these
 * connection settings), not that a statement was wrong.
 */
export function isPgUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Node ≥ 20 tries every address of a host name ("localhost" → ::1, 127.0.0.1) and reports all.
  if (err instanceof AggregateError && err.errors.some(isPgUnavailable)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code)) return true;
    // Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
    // now), class 28 (bad user or password), 3D000 (no such database).
    if (/^08|^57P0[123]$|^28|^3D000$/.test(code)) return true;
    // TLS handshake failures: an untrusted or mismatched server certificate.
    if (/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/.test(code)) {
      return true;
    }
  }
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end|does not support SSL/i.test(
    err.message,
  );
}

/**
 * The one PostgreSQL connection pool, shared by the postgres relational store and the pgvector
 * store ("reusing the relational Postgres connection"). `transaction(fn)` runs fn with a
 * dedicated client; every `query` made inside fn's async context goes through that client, so
 * a document row and its vectors change together or not at all.
 */
export class PgDatabase {
  readonly pool: pg.Pool;
  private readonly tx = new AsyncLocalStorage<pg.PoolClient>();
  private readonly connectHooks: ((client: PgClient) => Promise<void>)[] = [];
  private readonly connectTimeoutMs: number;
  private readonly password: string | undefined;

  /**
   * `schema`: where this connection's tables live (a restored relational generation), created on
   * first connection and put first on the search path; absent: the server's default (public).
   */
  constructor(
    settings: PgSettings,
    readonly schema?: string,
  ) {
    this.connectTimeoutMs = settings.connectTimeoutMs;
    this.password = settings.password;
    this.pool = new pg.Pool({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: settings.username,
      password: settings.password,
      ssl: settings.ssl ? { rejectUnauthorized: settings.sslRejectUnauthorized } : undefined,
      max: settings.poolMax,
      min: settings.poolMin,
      idleTimeoutMillis: settings.idleTimeoutMs,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      // Fail a query rather than hang when the server stops answering mid-operation.
      query_timeout: Math.max(settings.connectTimeoutMs * 6, 30_000),
      application_name: 'qckstrt',
      ...(schema ? { options: `-c search_path=${schema},public` } : {}),
      onConnect: async (client: PgClient) => {
        for (const hook of this.connectHooks) await hook(client);
      },
    } as pg.PoolConfig & { onConnect: (client: PgClient) => Promise<void> });
    // An idle client losing its server emits here; without a listener it would crash the process.
    this.pool.on('error', () => {});
    // Before anything else runs on a connection: a search path naming a missing schema would
    // quietly create the tables in public instead.
    if (schema) this.onConnect((client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => {}));
  }

  /** Runs on every new connection (e.g. registering the vector type once the extension exists). */
  onConnect(hook: (client: PgClient) => Promise<void>): void {
    this.connectHooks.push(hook);
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const client = this.tx.getStore();
    try {
      return await (client ? client.query<R>(text, values) : this.pool.query<R>(text, values));
    } catch (err) {
      throw this.translate(err);
    }
  }

  /**
   * A health check that really reaches the server: its version, through the pool, within
   * `timeoutMs` (default: the connect timeout) even if the server accepts but never answers.
   */
  async ping(timeoutMs = this.connectTimeoutMs): Promise<{ latencyMs: number; serverVersion: string }> {
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KbError('ProviderUnavailable', `PostgreSQL did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const query = this.query<{ version: string }>("SELECT current_setting('server_version') AS version");
      query.catch(() => {}); // if the timeout wins, a late failure must not go unhandled
      const { rows } = await Promise.race([query, timeout]);
      return { latencyMs: performance.now() - start, serverVersion: rows[0]?.version ?? '' };
    } finally {
      clearTimeout(timer);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn(); // already inside one: join it
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.translate(err);
    }
    // A server that goes away while this client is checked out emits 'error' on the client as
    // well as failing the query; with no listener that event would crash the process.
    const ignore = () => {};
    client.on('error', ignore);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await this.tx.run(client, fn);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw this.translate(err);
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof KbError || !isPgUnavailable(err)) return err;
    return new KbError('ProviderUnavailable', `PostgreSQL is not reachable: ${this.redact((err as Error).message)}`, { cause: err });
  }

  /**
   * A message fit for the user and the log: connection strings' passwords hidden, and this pool's
   * password too wherever it appears (a URL pasted into the host field ends up in a DNS error).
   */
  redact(message: string): string {
    const hidden = redactConnectionStrings(message);
    return this.password && this.password.length >= 3 ? hidden.split(this.password).join('***') : hidden;
  }

  /** Connections open, idle and callers waiting for one; undefined once the pool has ended. */
  poolUse(): PoolUse | undefined {
    if (this.pool.ended) return undefined;
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.pool.options.max ?? 10 };
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
