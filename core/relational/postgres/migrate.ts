import { KbError } from '../../api/errors';
import type { SqlRunner } from './sqlRunner';

export interface Migrations {
  /** Table recording the applied versions. */
  table: string;
  /** Advisory lock key; every instance migrating this schema must use the same one. */
  lockKey: number;
  /** Version n is steps[n - 1]: a list of statements, run in order. */
  steps: readonly (readonly string[])[];
}

/**
 * Applies the versions not yet recorded, all in one transaction that first takes
 * `pg_advisory_xact_lock`: two app instances connecting at once do not race (the second waits,
 * then sees the versions the first recorded), and a failed step leaves nothing half-applied.
 * Returns the versions applied.
 */
export async function migrate(runner: SqlRunner, { table, lockKey, steps }: Migrations): Promise<number[]> {
  return runner.transaction(async () => {
    // Selected through count(*): some clients (the Data API) cannot return a `void` column.
    await runner.query('SELECT count(*) AS locked FROM (SELECT pg_advisory_xact_lock(:key)) AS l', { key: lockKey });
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await runner.query<{ version: number | string }>(`SELECT version FROM ${table}`);
    const done = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...done);
    if (newest > steps.length) {
      throw new KbError(
        'ProviderUnavailable',
        `The database schema is at version ${newest}, newer than this app knows (${steps.length}): update the app`,
      );
    }
    const applied: number[] = [];
    for (const [i, statements] of steps.entries()) {
      const version = i + 1;
      if (done.has(version)) continue;
      for (const sql of statements) await runner.query(sql);
      await runner.query(`INSERT INTO ${table} (version) VALUES (:version)`, { version });
      applied.push(version);
    }
    return applied;
  });
}
