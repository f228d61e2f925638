import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../core/config/settingsStore';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { DB_FILE, openStores } from '../../core/service/providers';
import { writeMixedCorpus } from '../helpers/documents';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { usePgvectorServer } from '../services/pgvectorHarness';

/** How the test reads a stack's jobs while `kb` runs, and the environment that points `kb` at it. */
interface Stack {
  files: number;
  env(): Record<string, string>;
  /** Job counts by state, read from the database the running process writes. */
  jobStates(): Promise<Record<string, number>>;
  failedJobs(): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Embedded: SQLite read directly (WAL: readers never block the writer). */
function embeddedStack(dataDir: string): Stack {
  const read = <T,>(sql: string, fallback: T): T => {
    let db: Database.Database | undefined;
    try {
      db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
      return db.prepare(sql).all() as T;
    } catch {
      return fallback; // not created yet
    } finally {
      db?.close();
    }
  };
  return {
    files: 120,
    env: () => ({}),
    jobStates: async () => Object.fromEntries(read<{ state: string; n: number }[]>(JOB_STATES_SQL, []).map((r) => [r.state, Number(r.n)])),
    failedJobs: async () => read(FAILED_JOBS_SQL, []),
    close: async () => {},
  };
}

/** PostgreSQL (with pgvector or ChromaDB for the vectors): the jobs read over a client of its own. */
function postgresStack(pgEnv: () => Record<string, string>, vectorEnv: () => Record<string, string>): Stack {
  let client: pg.Client | undefined;
  const query = async <T,>(sql: string): Promise<T[]> => {
    if (!client) {
      const e = pgEnv();
      client = new pg.Client({ host: e.RELATIONAL_DB_HOST, port: Number(e.RELATIONAL_DB_PORT), user: e.RELATIONAL_DB_USERNAME, database: e.RELATIONAL_DB_DATABASE });
      await client.connect();
    }
    try {
      return (await client.query(sql)).rows as T[];
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return []; // the first run has not migrated yet
      throw err;
    }
  };
  return {
    files: 60,
    env: () => ({ ...pgEnv(), ...vectorEnv() }),
    jobStates: async () => Object.fromEntries((await query<{ state: string; n: string }>(JOB_STATES_SQL)).map((r) => [r.state, Number(r.n)])),
    failedJobs: () => query(FAILED_JOBS_SQL),
    close: async () => {
      await client?.end();
    },
  };
}

const JOB_STATES_SQL = 'SELECT state, count(*) AS n FROM ingestion_jobs GROUP BY state';
const FAILED_JOBS_SQL = "SELECT file_name, error_kind, error_message FROM ingestion_jobs WHERE state = 'failed'";

/** Starts `kb <args>` in its own process on the test's data folder and stack. */
function startKb(dataDir: string, stack: Stack, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QCKSTRT_DATA_DIR: dataDir, ...stack.env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, exited };
}

/** Kills the process with SIGKILL once `ready(finished)` holds, mid-file (a job parsing, embedding or storing). */
async function killWhen(stack: Stack, run: ReturnType<typeof startKb>, ready: (finished: number) => boolean): Promise<Record<string, number>> {
  for (;;) {
    const s = await stack.jobStates();
    const finished = (s.done ?? 0) + (s.skipped ?? 0);
    const working = (s.parsing ?? 0) + (s.embedding ?? 0) + (s.storing ?? 0);
    if (ready(finished) && working > 0) {
      run.child.kill('SIGKILL');
      const { signal } = await run.exited;
      expect(signal).toBe('SIGKILL');
      return s;
    }
    const exited = await Promise.race([run.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
    if (exited) throw new Error(`kb exited before it could be killed: ${JSON.stringify(await run.exited)}`);
  }
}

/** Two SIGKILLs mid-file, then a finishing run; then every document is there exactly once and the stores agree. */
async function crashAndFinish(stackOn: (dataDir: string) => Stack): Promise<void> {
  const data = tempDir('qckstrt-crash-data-');
  const docs = tempDir('qckstrt-crash-docs-');
  const stack = stackOn(data.path);
  try {
    const FILES = stack.files;
    const corpus = await writeMixedCorpus(docs.path, { files: FILES, seed: 'sigkill' });

    // First run: killed once a few files are done.
    const atFirstKill = await killWhen(stack, startKb(data.path, stack, ['index', docs.path]), (finished) => finished >= FILES / 12);
    expect((atFirstKill.done ?? 0) + (atFirstKill.skipped ?? 0)).toBeLessThan(FILES);

    // Second run resumes the unfinished jobs and is killed again further on.
    const atSecondKill = await killWhen(stack, startKb(data.path, stack, ['resume']), (finished) => finished >= FILES / 3);
    expect((atSecondKill.done ?? 0) + (atSecondKill.skipped ?? 0)).toBeLessThan(FILES);

    // Third run finishes.
    const last = await startKb(data.path, stack, ['resume', '--json']).exited;
    expect(last.code, `${last.err}\n${last.out.slice(-3000)}`).toBe(0);
    expect(await stack.jobStates(), JSON.stringify(await stack.failedJobs())).toEqual({ done: FILES });

    const stores = openStores(new SettingsStore(data.path, stack.env()).current(), data.path);
    try {
      await stores.relational.connect();
      await stores.vector.connect(100);
      const docsByUser = await stores.relational.listDocuments('local');
      // Exactly once: one document per file, never two for the same source.
      expect(docsByUser).toHaveLength(FILES);
      expect(new Set(docsByUser.map((d) => d.sourceKey))).toEqual(new Set(corpus.paths));
      // The stores agree: every document has exactly its chunks' vectors, and no vector lacks a document.
      const rows = await stores.relational.documentChunkCounts();
      expect(await stores.vector.documentChunkCounts()).toEqual(rows);
      expect(await stores.vector.count()).toBe([...rows.values()].reduce((a, b) => a + b, 0));
      // The keyword index is in step too: every document's chunks, nothing stale.
      expect(await stores.relational.keywordChunkCounts()).toEqual(rows);
      expect(await stores.relational.documentsWithStaleKeywords()).toEqual([]);
    } finally {
      await stores.close();
    }
  } finally {
    await stack.close();
    data.cleanup();
    docs.cleanup();
  }
}

describe('crash safety: SIGKILL in the middle of indexing, on every stack', { timeout: 300_000 }, () => {
  const pgServer = usePgvectorServer();
  let chroma: ChromaService | undefined;
  afterAll(async () => {
    await chroma?.dispose();
  });
  const pgEnv = (database: string) => () => ({
    RELATIONAL_DB_PROVIDER: 'postgres',
    RELATIONAL_DB_HOST: pgServer.server.host,
    RELATIONAL_DB_PORT: String(pgServer.server.port),
    RELATIONAL_DB_DATABASE: database,
    RELATIONAL_DB_USERNAME: pgServer.server.user,
  });

  it('embedded: finishes after restarts with every document indexed exactly once and no orphan vectors', async () => {
    await crashAndFinish(embeddedStack);
  });

  it('PostgreSQL + pgvector: the same, rows and vectors in one database', async () => {
    await pgServer.createDatabase('crash_pgvector');
    await crashAndFinish(() => postgresStack(pgEnv('crash_pgvector'), () => ({ VECTOR_DB_PROVIDER: 'pgvector' })));
  });

  it('PostgreSQL + ChromaDB: the same, vectors in another server', async () => {
    chroma = await startChroma();
    await pgServer.createDatabase('crash_chroma');
    const url = chroma.url;
    await crashAndFinish(() => postgresStack(pgEnv('crash_chroma'), () => ({ VECTOR_DB_PROVIDER: 'chromadb', VECTOR_DB_CHROMA_URL: url, VECTOR_DB_CHROMA_COLLECTION: 'crash' })));
  });
});
