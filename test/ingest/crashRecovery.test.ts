import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../core/config/settingsStore';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { DB_FILE, openStores } from '../../core/service/providers';
import { writeMixedCorpus } from '../helpers/documents';
import { tempDir } from '../helpers/tempDir';

const FILES = 120;
const data = tempDir('qckstrt-crash-data-');
const docs = tempDir('qckstrt-crash-docs-');

/** Starts `kb <args>` in its own process on the test's data folder. */
function startKb(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QCKSTRT_DATA_DIR: data.path },
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

/** Job counts by state, read from the database the running process writes (WAL: readers never block it). */
function jobStates(): Record<string, number> {
  let db: Database.Database | undefined;
  try {
    db = new Database(join(data.path, DB_FILE), { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT state, count(*) AS n FROM ingestion_jobs GROUP BY state').all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } catch {
    return {}; // not created yet
  } finally {
    db?.close();
  }
}

/** Why jobs failed, for the assertion message. */
function failedJobs(): unknown[] {
  const db = new Database(join(data.path, DB_FILE), { readonly: true });
  try {
    return db.prepare("SELECT file_name, error_kind, error_message FROM ingestion_jobs WHERE state = 'failed'").all();
  } finally {
    db.close();
  }
}

/** Kills the process with SIGKILL once `ready(states)` holds, mid-file (a job parsing, embedding or storing). */
async function killWhen(run: ReturnType<typeof startKb>, ready: (finished: number) => boolean): Promise<Record<string, number>> {
  for (;;) {
    const s = jobStates();
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

describe('crash safety: SIGKILL in the middle of indexing', { timeout: 300_000 }, () => {
  afterAll(() => {
    data.cleanup();
    docs.cleanup();
  });

  it('finishes after restarts with every document indexed exactly once and no orphan vectors', async () => {
    const corpus = await writeMixedCorpus(docs.path, { files: FILES, seed: 'sigkill' });

    // First run: killed once a few files are done.
    const atFirstKill = await killWhen(startKb(['index', docs.path]), (finished) => finished >= 10);
    expect((atFirstKill.done ?? 0) + (atFirstKill.skipped ?? 0)).toBeLessThan(FILES);

    // Second run resumes the unfinished jobs and is killed again further on.
    const atSecondKill = await killWhen(startKb(['resume']), (finished) => finished >= 40);
    expect((atSecondKill.done ?? 0) + (atSecondKill.skipped ?? 0)).toBeLessThan(FILES);

    // Third run finishes.
    const last = await startKb(['resume', '--json']).exited;
    expect(last.code, `${last.err}\n${last.out.slice(-3000)}`).toBe(0);
    const states = jobStates();
    expect(states, JSON.stringify(failedJobs())).toEqual({ done: FILES });

    const stores = openStores(new SettingsStore(data.path, {}).current(), data.path);
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
  });
});
