import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RESOURCES_DIR } from '../../core/config/sourcePaths';
import { createKbService } from '../../core/service';
import { LOCK_FILE, tryLockLibrary } from '../../core/service/libraryLock';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const dirs: { cleanup: () => void }[] = [];
const temp = () => {
  const d = tempDir('qckstrt-lock-');
  dirs.push(d);
  return d.path;
};
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

const open = (dataDir: string, role = 'test writer') => createKbService({ dataDir, resourcesDir: RESOURCES_DIR, env: {}, role });
const lockOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number; what: string };
const writeLock = (dataDir: string, pid: number, what = 'kb index') =>
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString(), what, token: 'left-behind' }));

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const res = spawnSync(process.execPath, ['-e', '']);
  expect(res.status).toBe(0);
  return res.pid as number;
}

describe('library writer lock', () => {
  it('takes over a lock left by a process that is gone, an unreadable old one, and its own pid from an earlier run', () => {
    const dataDir = temp();
    writeLock(dataDir, deadPid());
    const first = tryLockLibrary(dataDir, 'after a crash');
    expect(first.acquired).toBe(true);
    expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, what: 'after a crash' });
    if (first.acquired) first.lock.release();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    // Half-written by a process that crashed while starting (older than the grace period).
    writeFileSync(join(dataDir, LOCK_FILE), '{"pid": 12');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, LOCK_FILE), old, old);
    const second = tryLockLibrary(dataDir, 'after a torn write');
    expect(second.acquired).toBe(true);
    if (second.acquired) second.lock.release();

    // This pid, but not held by this process: an earlier process that had the same pid (a container restart).
    writeLock(dataDir, process.pid);
    const third = tryLockLibrary(dataDir, 'same pid');
    expect(third.acquired).toBe(true);
    // Held by this process now: a second taker is told who holds it.
    expect(tryLockLibrary(dataDir, 'second')).toMatchObject({ acquired: false, holder: { pid: process.pid, what: 'same pid' } });
    if (third.acquired) third.lock.release();
  });

  it('lets exactly one of several processes take over a dead process’s lock at once', async () => {
    const dataDir = temp();
    writeLock(dataDir, deadPid());
    // Each racer holds what it got for a while, so a loser cannot take the lock after a winner exits.
    const script = `import('./core/service/libraryLock.ts').then((m) => { const a = m.tryLockLibrary(process.env.DIR, 'racer ' + process.pid); console.log(a.acquired ? 'won' : 'lost'); setTimeout(() => {}, 2500); })`;
    const racers = Array.from({ length: 3 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    const outcomes = await Promise.all(racers.map((r) => outputOf(r)));
    expect(outcomes.sort()).toEqual(['lost', 'lost', 'won']);
    // The winner's exit released it.
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 30_000);
});

describe('two services on one library', { timeout: 60_000 }, () => {
  it('opens the second read-only: its writes are refused naming the holder, its searches work; the next gets the lock once the first closes', async () => {
    const dataDir = temp();
    const files = temp();
    const writer = await open(dataDir, 'kb index');
    await indexAndWait(writer, writeFiles(files, { 'plants.md': TOPICS['plants.md'], 'taxes.txt': TOPICS['taxes.txt'] }));

    const reader = await open(dataDir, 'the qckstrt app');
    expect(reader.libraryAccess()).toMatchObject({ writable: false, holder: { pid: process.pid, what: 'kb index' } });
    // Status says so, for the app's header and kb status --json.
    expect((await reader.getStatus()).readOnly).toMatchObject({ holder: { pid: process.pid, what: 'kb index' } });
    expect((await writer.getStatus()).readOnly).toBeUndefined();
    const refused = { kind: 'LibraryInUse', message: expect.stringMatching(new RegExp(`The library in .+ is in use by kb index \\(pid ${process.pid}, started \\d\\d:\\d\\d\\): wait for it to finish or stop it`)) };
    // (ingestFiles is handed to the holder instead: test/core/handover.test.ts.)
    await expect(reader.ingestUpload({ name: 'a.txt', bytes: new Uint8Array([104, 105]) })).rejects.toMatchObject(refused);
    const plants = (await reader.listDocuments()).find((d) => d.name === 'plants.md');
    await expect(reader.deleteDocument({ id: plants!.id })).rejects.toMatchObject(refused);
    await expect(reader.updateSettings({ ingest: { maxFileSizeMb: 10 } })).rejects.toMatchObject(refused);
    await expect(reader.reconcileStores(undefined)).rejects.toMatchObject(refused);

    // Reads work, and see what the writer adds after the reader opened.
    expect((await reader.search({ query: 'how do green plants turn sunlight into food', k: 1 })).hits[0]?.documentName).toBe('plants.md');
    await indexAndWait(writer, writeFiles(files, { 'football.txt': TOPICS['football.txt'] }));
    expect((await reader.search({ query: 'championship', k: 1, mode: 'keyword' })).hits[0]?.documentName).toBe('football.txt');
    expect((await reader.listDocuments()).map((d) => d.name).sort()).toEqual(['football.txt', 'plants.md', 'taxes.txt']);
    expect((await reader.getStatus()).documents).toBe(3);

    await writer.close();
    await reader.close(); // a reader's close leaves the (now free) library alone
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const next = await open(dataDir, 'next writer');
    expect(next.libraryAccess()).toEqual({ writable: true });
    expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, what: 'next writer' });
    await next.deleteDocument({ id: plants!.id });
    await next.close();
  });

  it('does not resume the queue while another running process holds the library; the next writer after it does', async () => {
    const dataDir = temp();
    const files = temp();
    // Quit right after the drop: the jobs stay queued in the database.
    const first = await open(dataDir);
    await first.ingestFiles({ paths: writeFiles(files, { 'a.md': TOPICS['plants.md'], 'b.txt': TOPICS['taxes.txt'], 'c.txt': TOPICS['football.txt'] }) });
    await first.close();
    const unfinished = (await jobStates(dataDir)).filter((s) => s !== 'done').length;
    expect(unfinished).toBeGreaterThan(0);

    // Another process (alive) holds the library.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeLock(dataDir, other.pid as number, 'kb resume');
      const reader = await open(dataDir);
      await new Promise((r) => setTimeout(r, 300));
      expect((await reader.getStatus()).queue).toEqual({ queued: 0, active: 0 });
      expect((await jobStates(dataDir)).filter((s) => s !== 'done').length).toBe(unfinished);
      await expect(reader.resumeIngest()).rejects.toMatchObject({ kind: 'LibraryInUse', message: expect.stringContaining(`kb resume (pid ${other.pid}`) });
      await reader.close();
      expect(lockOf(dataDir).pid).toBe(other.pid);
    } finally {
      other.kill();
      await new Promise((r) => other.once('exit', r));
    }
    // Its holder is gone: the next service takes the library over and finishes the jobs.
    const next = await open(dataDir);
    await next.idle();
    expect(await jobStates(dataDir, next)).toEqual(['done', 'done', 'done']);
    await next.close();
  });
});

describe('kb while another process holds the library', { timeout: 120_000 }, () => {
  it('a kb command that changes the library exits 6 naming the holder; kb search and kb docs work alongside', async () => {
    const dataDir = temp();
    const files = temp();
    const writer = await open(dataDir, 'the qckstrt app');
    try {
      const [plants] = writeFiles(files, { 'plants.md': TOPICS['plants.md'] });
      await indexAndWait(writer, [plants!]);
      // (kb index hands its files to the holder instead: test/core/handover.test.ts.)
      const id = (await writer.listDocuments())[0]!.id;
      const remove = kb(dataDir, 'delete', id);
      expect(remove.status, remove.stderr).toBe(6);
      expect(remove.stderr).toMatch(new RegExp(`^kb: The library in .+ is in use by the qckstrt app \\(pid ${process.pid}, started \\d\\d:\\d\\d\\): wait for it to finish or stop it`));
      const search = kb(dataDir, 'search', 'how do green plants turn sunlight into food', '--json');
      expect(search.status, search.stderr).toBe(0);
      expect(JSON.parse(search.stdout).hits[0].documentName).toBe('plants.md');
      const docs = kb(dataDir, 'docs');
      expect(docs.status, docs.stderr).toBe(0);
      expect(docs.stdout).toContain('plants.md');
      // The reader left the writer's lock alone.
      expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, what: 'the qckstrt app' });
    } finally {
      await writer.close();
    }
    // Free now: kb index takes it, and releases it at exit.
    const index = kb(dataDir, 'index', files);
    expect(index.status, index.stderr).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });
});

function kb(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QCKSTRT_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function outputOf(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', () => resolve(out.trim())));
}

/** The jobs' states, read by a service that only reads (it changes nothing). */
async function jobStates(dataDir: string, service?: Awaited<ReturnType<typeof open>>): Promise<string[]> {
  const s = service ?? (await createKbService({ dataDir, resourcesDir: RESOURCES_DIR, env: {}, access: 'read' }));
  try {
    return (await s.listJobs()).map((j) => j.state);
  } finally {
    if (!service) await s.close();
  }
}
