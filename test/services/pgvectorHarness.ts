import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgSettingsOf, startPgvector, type PgvectorService } from './pgvectorServer';

export interface PgvectorHarness {
  readonly server: PgvectorService;
  /** A pool on the server, closed when the file's tests end. */
  open(database?: string, username?: string): PgDatabase;
  /** A fresh database, so tests cannot disturb each other. */
  createDatabase(name: string, owner?: string): Promise<void>;
}

/**
 * Starts the real PostgreSQL 17 + pgvector server for a test file and stops it afterwards. The
 * first run on a machine builds the Debian 13 root (~1-2 min); later runs reuse it.
 */
export function usePgvectorServer(): PgvectorHarness {
  let server: PgvectorService | undefined;
  const dbs: PgDatabase[] = [];
  beforeAll(async () => {
    server = await startPgvector();
  }, 600_000);
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await server?.dispose();
  });
  const running = () => {
    if (!server) throw new Error('the pgvector server has not started');
    return server;
  };
  return {
    get server() {
      return running();
    },
    open(database, username) {
      const db = new PgDatabase(pgSettingsOf(running(), { ...(database ? { database } : {}), ...(username ? { username } : {}) }));
      dbs.push(db);
      return db;
    },
    async createDatabase(name, owner = 'postgres') {
      const s = running();
      const admin = new pg.Client({ host: s.host, port: s.port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name} OWNER ${owner}`);
      } finally {
        await admin.end();
      }
    },
  };
}
