import { toPositional } from './namedSql';
import type { PgDatabase } from './pgDatabase';
import type { SqlParams, SqlRunner } from './sqlRunner';

/** The shared statements on node-postgres: `:name` becomes `$n`; transactions are PgDatabase's. */
export function pgRunner(db: PgDatabase): SqlRunner {
  const runner: SqlRunner = {
    async query<R>(sql: string, params?: SqlParams) {
      const { text, values } = toPositional(sql, params);
      const result = await db.query(text, values);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async batch(sql, sets) {
      await db.transaction(async () => {
        for (const params of sets) await runner.query(sql, params);
      });
    },
    transaction: (fn) => db.transaction(fn),
  };
  return runner;
}
