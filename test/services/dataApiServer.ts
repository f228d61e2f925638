import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { compileNamed } from '../../core/relational/postgres/namedSql';
import { isPgUnavailable } from '../../core/relational/postgres/pgDatabase';

/**
 * A local stand-in for the RDS Data API (AWS cannot be reached here): node:http on 127.0.0.1
 * speaking the service's REST-JSON protocol as `@aws-sdk/client-rds-data` sends it (POST
 * /Execute, /BatchExecute, /BeginTransaction, /CommitTransaction, /RollbackTransaction; errors
 * named by `x-amzn-errortype`), running the statements on a real PostgreSQL through node-postgres.
 *
 * It binds parameters the way the Data API does: a `stringValue` is VARCHAR unless a typeHint
 * says otherwise, a `longValue` BIGINT, a `doubleValue` DOUBLE PRECISION, so a statement that
 * forgets to cast a string for a uuid or timestamptz column fails here as it would on Aurora.
 */
export interface DataApiServer {
  /** `http://127.0.0.1:PORT`, the client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly resourceArn: string;
  readonly secretArn: string;
  /** Every request received: operation (path without `/`) and its JSON body. */
  readonly requests: { operation: string; body: Record<string, unknown> }[];
  /** Transactions begun and not yet committed or rolled back. */
  readonly openTransactions: number;
  /** The next `times` requests fail with this AWS error (or get no answer for `hangMs`). */
  failNext(fault: { status: number; type: string; message?: string } | { hangMs: number }, times?: number): void;
  /** Closes the endpoint (connections refused) and rolls back open transactions. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops it and ends its PostgreSQL connections. */
  dispose(): Promise<void>;
}

export interface DataApiServerOptions {
  /** Where statements run; `database` is the default when a request names none. */
  postgres: { host: string; port: number; user: string; password?: string; database: string };
  resourceArn?: string;
  secretArn?: string;
}

type Fault = { status: number; type: string; message?: string } | { hangMs: number };

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Field = {
  isNull?: boolean;
  booleanValue?: boolean;
  longValue?: number;
  doubleValue?: number;
  stringValue?: string;
  blobValue?: string;
  arrayValue?: unknown;
};
type SqlParameter = { name?: string; value?: Field; typeHint?: string };

const TYPE_HINTS: Record<string, string> = {
  TIMESTAMP: 'timestamp',
  DATE: 'date',
  TIME: 'time',
  DECIMAL: 'numeric',
  UUID: 'uuid',
  JSON: 'json',
};

/** A Data API parameter as a node-postgres value and the SQL that binds it with its type. */
function bindParameter(p: SqlParameter, index: number): { value: unknown; sql: string } {
  const v = p.value ?? {};
  const cast = (type: string) => `CAST($${index} AS ${type})`;
  if (v.isNull) return { value: null, sql: `$${index}` };
  if (v.booleanValue !== undefined) return { value: v.booleanValue, sql: cast('boolean') };
  if (v.longValue !== undefined) return { value: String(v.longValue), sql: cast('bigint') };
  if (v.doubleValue !== undefined) return { value: String(v.doubleValue), sql: cast('double precision') };
  if (v.blobValue !== undefined) return { value: Buffer.from(v.blobValue, 'base64'), sql: cast('bytea') };
  if (v.stringValue !== undefined) {
    const hinted = p.typeHint ? TYPE_HINTS[p.typeHint] : undefined;
    if (p.typeHint && !hinted) throw new AwsError(400, 'BadRequestException', `Invalid type hint: ${p.typeHint}`);
    return { value: v.stringValue, sql: cast(hinted ?? 'varchar') };
  }
  throw new AwsError(400, 'BadRequestException', `Unsupported parameter value for ${p.name}: ${JSON.stringify(v)}`);
}

/** `:name` → typed `$n`, the values in order; a name without a parameter is the Data API's 400. */
function bindStatement(sql: string, parameters: SqlParameter[] = []): { text: string; values: unknown[] } {
  const byName = new Map(parameters.map((p) => [p.name ?? '', p]));
  const values: unknown[] = [];
  const { text } = compileNamed(sql, (name, index) => {
    const p = byName.get(name);
    if (!p) throw new AwsError(400, 'BadRequestException', `No value specified for parameter: ${name}`);
    const bound = bindParameter(p, index);
    values[index - 1] = bound.value;
    return bound.sql;
  });
  return { text, values };
}

// Results: every value comes back from PostgreSQL as text (see RAW_TEXT) and is typed here by
// column type, as the Data API types its fields.
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
const BOOL = 16;
const INTS = new Set([20, 21, 23, 26]);
const FLOATS = new Set([700, 701]);
const TIMESTAMPS = new Set([1114, 1184]);
const BYTEA = 17;

function typedValue(text: string | null, oid: number): string | number | boolean | null {
  if (text === null) return null;
  if (oid === BOOL) return text === 't';
  if (INTS.has(oid) || FLOATS.has(oid)) return Number(text);
  if (TIMESTAMPS.has(oid)) return text.replace(/[+-]\d\d(:\d\d)?$/, ''); // UTC session: drop "+00"
  if (oid === BYTEA) return Buffer.from(text.slice(2), 'hex').toString('base64');
  return text;
}

function toField(value: string | number | boolean | null, oid: number): Field {
  if (value === null) return { isNull: true };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number') return INTS.has(oid) ? { longValue: value } : { doubleValue: value };
  return oid === BYTEA ? { blobValue: value } : { stringValue: value };
}

export async function startDataApiServer(options: DataApiServerOptions): Promise<DataApiServer> {
  const resourceArn = options.resourceArn ?? 'arn:aws:rds:us-east-1:123456789012:cluster:qckstrt-test';
  const secretArn = options.secretArn ?? 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qckstrt-test-AbCdEf';
  const pools = new Map<string, pg.Pool>();
  const transactions = new Map<string, pg.PoolClient>();
  const requests: DataApiServer['requests'] = [];
  const faults: Fault[] = [];

  const pool = (database: string) => {
    let p = pools.get(database);
    if (!p) {
      p = new pg.Pool({ ...options.postgres, database, max: 20, options: '-c TimeZone=UTC' });
      p.on('error', () => {}); // an idle client losing the server must not crash the test run
      pools.set(database, p);
    }
    return p;
  };

  const checkTarget = (body: Record<string, unknown>) => {
    if (body.resourceArn !== resourceArn) {
      throw new AwsError(400, 'BadRequestException', `Invalid cluster arn: ${String(body.resourceArn)}`);
    }
    if (body.secretArn !== secretArn) {
      throw new AwsError(400, 'BadRequestException', `Error fetching secret: Secrets Manager can't find the specified secret.`);
    }
  };

  const txClient = (id: unknown) => {
    const client = transactions.get(String(id));
    if (!client) throw new AwsError(404, 'TransactionNotFoundException', `Transaction ${String(id)} is not found`);
    return client;
  };

  const runOn = async <T>(body: Record<string, unknown>, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    if (body.transactionId) return fn(txClient(body.transactionId));
    const client = await pool(String(body.database ?? options.postgres.database)).connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      if (isPgUnavailable(err)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  };

  const execute = async (client: pg.PoolClient, body: Record<string, unknown>) => {
    const { text, values } = bindStatement(String(body.sql), body.parameters as SqlParameter[]);
    // Extended protocol, as the Data API's prepared statements: one statement per call.
    // (`queryMode` is missing from @types/pg.)
    const config = { text, values, rowMode: 'array', types: RAW_TEXT, queryMode: 'extended' } as pg.QueryArrayConfig;
    const result = await client.query(config);
    const fields = result.fields ?? [];
    const rows = (result.rows as (string | null)[][]).map((row) => row.map((v, i) => typedValue(v, fields[i]!.dataTypeID)));
    const changed = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command) ? (result.rowCount ?? 0) : 0;
    const out: Record<string, unknown> = { numberOfRecordsUpdated: changed, generatedFields: [] };
    if (fields.length === 0) return out;
    if (body.formatRecordsAs === 'JSON') {
      out.formattedRecords = JSON.stringify(rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]]))));
    } else {
      out.records = rows.map((row) => row.map((v, i) => toField(v, fields[i]!.dataTypeID)));
      if (body.includeResultMetadata) {
        out.columnMetadata = fields.map((f) => ({ name: f.name, label: f.name, type: f.dataTypeID }));
      }
    }
    return out;
  };

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    Execute: (body) => runOn(body, (client) => execute(client, body)),
    BatchExecute: (body) =>
      runOn(body, async (client) => {
        const sets = (body.parameterSets as SqlParameter[][] | undefined) ?? [[]];
        const own = !body.transactionId; // outside a transaction the batch is atomic on its own
        if (own) await client.query('BEGIN');
        try {
          for (const parameters of sets) await execute(client, { ...body, parameters, formatRecordsAs: undefined });
          if (own) await client.query('COMMIT');
        } catch (err) {
          if (own) await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
        return { updateResults: sets.map(() => ({ generatedFields: [] })) };
      }),
    BeginTransaction: async (body) => {
      const client = await pool(String(body.database ?? options.postgres.database)).connect();
      try {
        await client.query('BEGIN');
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      const transactionId = randomBytes(24).toString('base64');
      transactions.set(transactionId, client);
      return { transactionId };
    },
    CommitTransaction: async (body) => {
      const client = txClient(body.transactionId);
      transactions.delete(String(body.transactionId));
      try {
        await client.query('COMMIT');
        client.release();
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      return { transactionStatus: 'Transaction Committed' };
    },
    RollbackTransaction: async (body) => {
      const client = txClient(body.transactionId);
      transactions.delete(String(body.transactionId));
      await client.query('ROLLBACK').then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
      return { transactionStatus: 'Rollback Complete' };
    },
  };

  const reply = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': randomBytes(8).toString('hex') };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    res.writeHead(status, headers).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const operation = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
    try {
      const fault = faults.shift();
      if (fault && 'hangMs' in fault) {
        await new Promise((r) => setTimeout(r, fault.hangMs));
        if (!res.writableEnded && !res.destroyed) reply(res, 504, { message: 'hung' }, 'ServiceUnavailableError');
        return;
      }
      if (fault) throw new AwsError(fault.status, fault.type, fault.message ?? fault.type);
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      const run = req.method === 'POST' ? operations[operation] : undefined;
      if (!run) throw new AwsError(404, 'UnknownOperationException', `Unknown operation ${req.method} ${req.url}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ operation, body });
      checkTarget(body);
      reply(res, 200, await run(body));
    } catch (err) {
      if (err instanceof AwsError) reply(res, err.status, { message: err.message }, err.type);
      else if (isPgUnavailable(err)) reply(res, 504, { message: (err as Error).message }, 'DatabaseUnavailableException');
      else reply(res, 400, { message: `ERROR: ${(err as Error).message}` }, 'DatabaseErrorException');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  let listening = true;

  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // keep-alive sockets too: the client must see the endpoint gone
    await closed;
    for (const [id, client] of transactions) {
      transactions.delete(id);
      await client.query('ROLLBACK').then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
    }
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    resourceArn,
    secretArn,
    requests,
    get openTransactions() {
      return transactions.size;
    },
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    stop,
    async start() {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    async dispose() {
      await stop();
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}
