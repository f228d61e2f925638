import { AsyncLocalStorage } from 'node:async_hooks';
import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RollbackTransactionCommand,
  type RDSDataClient,
} from '@aws-sdk/client-rds-data';
import type { SqlParams, SqlResult, SqlRunner } from '../postgres/sqlRunner';
import { translateDataApiError } from './dataApiErrors';
import { toSqlParameters } from './dataApiParams';

export interface DataApiTarget {
  resourceArn: string;
  secretArn: string;
  database: string;
}

/**
 * The shared statements over the RDS Data API. Results come back as JSON records (keys are the
 * column labels). A transaction is a Data API transaction id, held in async context the way
 * PgDatabase holds its client, so every statement fn makes joins it.
 */
export class DataApiRunner implements SqlRunner {
  private readonly tx = new AsyncLocalStorage<string>();

  constructor(
    private readonly client: RDSDataClient,
    private readonly target: DataApiTarget,
  ) {}

  private async send<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw translateDataApiError(err);
    }
  }

  /** `timeoutMs` bounds the whole call, retries included (for health checks). */
  async query<R>(sql: string, params?: SqlParams, opts: { timeoutMs?: number } = {}): Promise<SqlResult<R>> {
    const parameters = toSqlParameters(sql, params);
    const command = new ExecuteStatementCommand({
      ...this.target,
      sql,
      parameters,
      transactionId: this.tx.getStore(),
      formatRecordsAs: 'JSON',
    });
    const abortSignal = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
    const out = await this.send(() => this.client.send(command, { abortSignal }));
    const rows = out.formattedRecords ? (JSON.parse(out.formattedRecords) as R[]) : [];
    return { rows, rowCount: Math.max(out.numberOfRecordsUpdated ?? 0, rows.length) };
  }

  async batch(sql: string, sets: readonly SqlParams[]): Promise<void> {
    if (sets.length === 0) return;
    const parameterSets = sets.map((params) => toSqlParameters(sql, params));
    await this.send(() =>
      this.client.send(new BatchExecuteStatementCommand({ ...this.target, sql, parameterSets, transactionId: this.tx.getStore() })),
    );
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn(); // already inside one: join it
    const { resourceArn, secretArn, database } = this.target;
    const { transactionId } = await this.send(() =>
      this.client.send(new BeginTransactionCommand({ resourceArn, secretArn, database })),
    );
    if (!transactionId) throw new Error('The Data API began a transaction without an id');
    let result: T;
    try {
      result = await this.tx.run(transactionId, fn);
    } catch (err) {
      // Best effort: if the endpoint is gone, Aurora ends the abandoned transaction itself.
      await this.client.send(new RollbackTransactionCommand({ resourceArn, secretArn, transactionId })).catch(() => {});
      throw err;
    }
    await this.send(() => this.client.send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId })));
    return result;
  }
}
