import { AsyncLocalStorage } from 'node:async_hooks';
import type { RDSDataClient, RDSDataClientConfig } from '@aws-sdk/client-rds-data';
import type { SqlParams, SqlResult, SqlRunner } from '../postgres/sqlRunner';
import { translateDataApiError } from './dataApiErrors';
import { toSqlParameters } from './dataApiParams';

type RdsDataSdk = typeof import('@aws-sdk/client-rds-data');

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

  private opened: Promise<{ sdk: RdsDataSdk; client: RDSDataClient }> | undefined;

  constructor(
    private readonly config: RDSDataClientConfig,
    private readonly target: DataApiTarget,
  ) {}

  /**
   * The SDK and its client, loaded on first use: the AWS SDK takes ~125 ms to load, which a
   * library on the embedded default should not pay at every start.
   */
  private open(): Promise<{ sdk: RdsDataSdk; client: RDSDataClient }> {
    this.opened ??= import('@aws-sdk/client-rds-data').then((sdk) => ({ sdk, client: new sdk.RDSDataClient(this.config) }));
    return this.opened;
  }

  async close(): Promise<void> {
    if (this.opened) (await this.opened).client.destroy();
  }

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
    const { sdk, client } = await this.open();
    const command = new sdk.ExecuteStatementCommand({
      ...this.target,
      sql,
      parameters,
      transactionId: this.tx.getStore(),
      formatRecordsAs: 'JSON',
    });
    const abortSignal = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
    const out = await this.send(() => client.send(command, { abortSignal }));
    const rows = out.formattedRecords ? (JSON.parse(out.formattedRecords) as R[]) : [];
    return { rows, rowCount: Math.max(out.numberOfRecordsUpdated ?? 0, rows.length) };
  }

  async batch(sql: string, sets: readonly SqlParams[]): Promise<void> {
    if (sets.length === 0) return;
    const parameterSets = sets.map((params) => toSqlParameters(sql, params));
    const { sdk, client } = await this.open();
    await this.send(() =>
      client.send(new sdk.BatchExecuteStatementCommand({ ...this.target, sql, parameterSets, transactionId: this.tx.getStore() })),
    );
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn(); // already inside one: join it
    const { resourceArn, secretArn, database } = this.target;
    const { sdk, client } = await this.open();
    const { transactionId } = await this.send(() =>
      client.send(new sdk.BeginTransactionCommand({ resourceArn, secretArn, database })),
    );
    if (!transactionId) throw new Error('The Data API began a transaction without an id');
    let result: T;
    try {
      result = await this.tx.run(transactionId, fn);
    } catch (err) {
      // Best effort: if the endpoint is gone, Aurora ends the abandoned transaction itself.
      await client.send(new sdk.RollbackTransactionCommand({ resourceArn, secretArn, transactionId })).catch(() => {});
      throw err;
    }
    await this.send(() => client.send(new sdk.CommitTransactionCommand({ resourceArn, secretArn, transactionId })));
    return result;
  }
}
