import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RESOURCES_DIR } from '../../core/config/sourcePaths';
import { createKbService } from '../../core/service';
import { INBOX_DIR } from '../../core/service/handover';
import { tryLockLibrary } from '../../core/service/libraryLock';
import { FINISHED_JOB_STATES } from '../../core/api/types';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const writeNotes = (dir: string, prefix: string, n: number) => {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `${prefix}-${i}.md`), `# ${prefix} ${i}\n\nThe ${prefix} zebra number ${i} grazes near the river.\n`);
};

/**
 * A second process on a library another one writes to hands it the files to index instead of
 * refusing: the holder queues them, the second follows them in the shared stores.
 */
describe('handing files to the process that holds the library', { timeout: 120_000 }, () => {
  let holder: TestService;
  const docs = tempDir('qckstrt-handover-docs-');
  beforeAll(async () => {
    holder = await startTestService();
  });
  afterAll(async () => {
    await holder?.dispose();
    docs.cleanup();
  });

  it('a read-only service hands ingestFiles over and sees the holder index them', async () => {
    const folder = join(docs.path, 'first');
    writeNotes(folder, 'okapi', 4);
    const second = await createKbService({ dataDir: holder.dataDir, resourcesDir: RESOURCES_DIR, role: 'a test reader' });
    try {
      expect(second.handsOver).toBe(true);
      const accepted = await second.ingestFiles({ paths: [folder] });
      expect(accepted.jobs).toHaveLength(4);
      const ids = accepted.jobs.map((j) => j.jobId);
      await expect.poll(async () => (await second.jobsById(ids)).every((j) => FINISHED_JOB_STATES.includes(j.state)), { timeout: 30_000 }).toBe(true);
      expect((await second.jobsById(ids)).map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
      // Written by the holder, searchable from both.
      expect((await holder.service.listDocuments()).filter((d) => d.name.startsWith('okapi'))).toHaveLength(4);
      const hits = await second.search({ query: 'okapi zebra', mode: 'keyword' });
      expect(hits.hits.length).toBeGreaterThan(0);
      // Other writes still name the holder.
      await expect(second.deleteDocuments({ ids: [accepted.jobs[0]!.jobId] })).rejects.toMatchObject({ kind: 'LibraryInUse' });
    } finally {
      await second.close();
    }
    expect(readdirSync(join(holder.dataDir, INBOX_DIR))).toEqual([]);
  });

  it('kb index beside the holder hands its files over and reports them indexed', async () => {
    const folder = join(docs.path, 'cli');
    writeNotes(folder, 'tapir', 3);
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'index', folder], {
      cwd: REPO_ROOT,
      env: { ...process.env, QCKSTRT_DATA_DIR: holder.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);
    expect(err).toMatch(/in use by .*handed 3 file\(s\) to it/);
    expect(out).toMatch(/3 files: 3 indexed\./);
    expect((await holder.service.listDocuments()).filter((d) => d.name.startsWith('tapir'))).toHaveLength(3);
  });

  it('a holder that does not take the files: LibraryInUse saying so, the request withdrawn', async () => {
    const data = tempDir('qckstrt-handover-silent-');
    try {
      // This test process holds the lock and runs no inbox, as an older version would.
      const attempt = tryLockLibrary(data.path, 'an older qckstrt');
      if (!attempt.acquired) throw new Error('could not take the lock');
      const second = await createKbService({ dataDir: data.path, resourcesDir: RESOURCES_DIR, handoverTimeoutMs: 400 });
      try {
        writeNotes(join(data.path, 'in'), 'eland', 1);
        await expect(second.ingestFiles({ paths: [join(data.path, 'in')] })).rejects.toMatchObject({
          kind: 'LibraryInUse',
          message: expect.stringMatching(/in use by an older qckstrt .*did not take the files/),
        });
        expect(readdirSync(join(data.path, INBOX_DIR))).toEqual([]);
      } finally {
        await second.close();
        attempt.lock.release();
      }
    } finally {
      data.cleanup();
    }
  });

  it('answers a request that is not valid with the reason, and runs nothing', async () => {
    const inbox = join(holder.dataDir, INBOX_DIR);
    writeFileSync(join(inbox, 'bad.request.json'), JSON.stringify({ id: 'bad', from: 'a test', input: { paths: [] } }));
    await expect.poll(() => readdirSync(inbox), { timeout: 5_000 }).toEqual(['bad.answer.json']);
    const { readFileSync, rmSync } = await import('node:fs');
    const answer = JSON.parse(readFileSync(join(inbox, 'bad.answer.json'), 'utf8')) as { ok: boolean; error?: { kind: string; message: string } };
    rmSync(join(inbox, 'bad.answer.json'));
    expect(answer).toMatchObject({ ok: false, error: { kind: 'ValidationError', message: expect.stringMatching(/not valid/) } });
  });
});
