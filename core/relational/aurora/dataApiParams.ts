import type { SqlParameter } from '@aws-sdk/client-rds-data';
import { compileNamed } from '../postgres/namedSql';
import type { SqlParams, SqlValue } from '../postgres/sqlRunner';

/** `2026-01-01 00:00:00.000`: the only timestamp form the Data API's TIMESTAMP hint accepts (UTC). */
export function dataApiTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * One value as the Data API's typed field. Whole numbers go as `longValue` (bound as BIGINT),
 * others as `doubleValue`; a Date as a UTC string with the TIMESTAMP hint. Strings go as
 * `stringValue` (VARCHAR): statements cast them where a column has another type.
 */
export function toSqlParameter(name: string, value: SqlValue | undefined): SqlParameter {
  if (value === null || value === undefined) return { name, value: { isNull: true } };
  if (typeof value === 'boolean') return { name, value: { booleanValue: value } };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`The SQL parameter :${name} is ${value}; the Data API takes finite numbers only`);
    return { name, value: Number.isSafeInteger(value) ? { longValue: value } : { doubleValue: value } };
  }
  if (value instanceof Date) return { name, value: { stringValue: dataApiTimestamp(value) }, typeHint: 'TIMESTAMP' };
  return { name, value: { stringValue: value } };
}

const namesCache = new Map<string, string[]>();

/** The parameters the statement names, typed; a name without a value is an error, extras are left out. */
export function toSqlParameters(sql: string, params: SqlParams = {}): SqlParameter[] {
  let names = namesCache.get(sql);
  if (!names) {
    names = compileNamed(sql).names;
    namesCache.set(sql, names);
  }
  return names.map((name) => {
    if (!(name in params)) throw new Error(`No value for the SQL parameter :${name}`);
    return toSqlParameter(name, params[name]);
  });
}
