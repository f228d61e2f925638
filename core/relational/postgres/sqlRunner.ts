/**
 * What the PostgreSQL-dialect relational store needs from a connection: node-postgres
 * (`pgRunner`) and the RDS Data API (`DataApiRunner`) both provide it, so every statement is
 * written once, with `:name` parameters (see namedSql.ts).
 *
 * Statements in this dialect spell casts `CAST(x AS t)`, never `x::t` (named parameters and
 * `::` read badly together), and cast every parameter whose column is not text or a number
 * (uuid, timestamptz): the Data API binds a string as `varchar`, and PostgreSQL does not compare
 * or assign `varchar` to those types implicitly.
 */
export type SqlValue = string | number | boolean | null | Date;
export type SqlParams = Readonly<Record<string, SqlValue>>;

export interface SqlResult<R> {
  rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE, or rows returned. */
  rowCount: number;
}

export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<SqlResult<R>>;
  /** One statement once per parameter set (the Data API's BatchExecuteStatement). */
  batch(sql: string, sets: readonly SqlParams[]): Promise<void>;
  /** Runs fn in one transaction; queries inside fn's async context join it (nested calls too). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
