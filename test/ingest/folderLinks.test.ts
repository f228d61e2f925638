import { symlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../core/api/types';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { makeOddFolder, mkfifo, ODD_SKIPS } from '../helpers/oddFolder';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/**
 * Issue 12: a link planted in a dropped or watched folder must not pull a file from outside it
 * into the index, and every entry skipped inside a folder is listed as a job with its reason.
 */
describe('links and odd entries in added folders', { timeout: 120_000 }, () => {
  let t: TestService;
  const dir = tempDir('qckstrt-links-');
  const root = join(dir.path, 'dropped');
  const outside = join(dir.path, 'outside');
  const rel = (p: string | undefined) => relative(root, p ?? '').split(sep).join('/');
  const byPath = (jobs: JobProgress[]) => Object.fromEntries(jobs.map((j) => [rel(j.sourcePath), j]));
  const documents = async () => (await t.service.listDocuments()).map((d) => rel(d.sourcePath)).sort();

  beforeAll(async () => {
    makeOddFolder(root, outside);
    t = await startTestService();
  });
  afterAll(async () => {
    await t?.dispose();
    dir.cleanup();
  });

  it('indexes the good files, not what links lead to outside, and lists each skip with its reason', async () => {
    const jobs = byPath(await indexAndWait(t.service, [root]));
    expect(jobs['good.md']?.state).toBe('done');
    expect(jobs['inner-link.md']?.state).toBe('done');
    for (const [path, reason] of Object.entries(ODD_SKIPS)) {
      expect(jobs[path], path).toMatchObject({ state: 'skipped', note: expect.stringMatching(reason) });
    }
    expect(Object.keys(jobs).sort()).toEqual(['good.md', 'inner-link.md', ...Object.keys(ODD_SKIPS)].sort());
    expect(await documents()).toEqual(['good.md', 'inner-link.md']);
    const hits = await t.service.search({ query: 'zebrafinch root bash', k: 5 });
    expect(hits.hits.map((h) => h.documentName)).not.toContain('passwd.txt');
    // The run counts the skipped jobs as finished.
    const { ingest } = await t.service.getStatus();
    expect(ingest.filesDone).toBe(ingest.filesTotal);
    expect(ingest.failed).toBe(0);
  });

  it('follows links out of the folder once the setting allows it', async () => {
    await t.service.updateSettings({ ingest: { followExternalLinks: true } });
    try {
      const jobs = byPath(await indexAndWait(t.service, [root]));
      expect(jobs['passwd.txt']?.state).toBe('done');
      expect(jobs['outdir/outside.md']?.state).toBe('done');
      expect(jobs['pipe.txt']).toMatchObject({ state: 'skipped', note: expect.stringMatching(ODD_SKIPS['pipe.txt']!) });
      expect(await documents()).toEqual(['good.md', 'inner-link.md', 'outdir/outside.md', 'passwd.txt']);
    } finally {
      await t.service.updateSettings({ ingest: { followExternalLinks: false } });
    }
  });

  it('in a watched folder, lists a link out, a pipe and a device link appearing, and indexes none of them', async () => {
    const watched = join(dir.path, 'watched');
    writeFiles(watched, { 'first.md': TOPICS['plants.md'] });
    const accepted = await t.service.ingestFiles({ paths: [watched], watch: true });
    await t.service.idle();
    const before = new Set((await t.service.listJobs()).map((j) => j.jobId));
    expect(accepted.jobs.map((j) => j.fileName)).toEqual(['first.md']);

    symlinkSync(join(outside, 'passwd.txt'), join(watched, 'leak.txt'));
    symlinkSync(join(outside, 'dir'), join(watched, 'leakdir'));
    mkfifo(join(watched, 'pipe.md'));
    symlinkSync('/dev/null', join(watched, 'null.md'));
    writeFiles(watched, { 'second.md': TOPICS['cooking.md'] });

    const newJobs = async () => {
      await t.service.idle();
      const jobs = (await t.service.listJobs()).filter((j) => !before.has(j.jobId));
      return Object.fromEntries(jobs.map((j) => [relative(watched, j.sourcePath ?? '').split(sep).join('/'), `${j.state}: ${j.note ?? ''}`]));
    };
    await expect.poll(newJobs, { timeout: 30_000, interval: 200 }).toEqual({
      'second.md': 'done: ',
      'leak.txt': expect.stringMatching(/^skipped: a link to a file outside .*ingest\.followExternalLinks/),
      leakdir: expect.stringMatching(/^skipped: a link to a folder outside .*ingest\.followExternalLinks/),
      'pipe.md': 'skipped: a named pipe (FIFO), not a regular file',
      'null.md': 'skipped: a link to a device (/dev/null), not a regular file',
    });
    const indexed = (await t.service.listDocuments()).map((d) => d.sourcePath);
    expect(indexed).toContain(join(watched, 'second.md'));
    expect(indexed.filter((p) => p?.startsWith(join(watched, 'leak')))).toEqual([]);
    // Nothing outside the folder is watched.
    writeFiles(join(outside, 'dir'), { 'later.md': TOPICS['taxes.txt'] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(Object.keys(await newJobs()).sort()).toEqual(['leak.txt', 'leakdir', 'null.md', 'pipe.md', 'second.md']);
    await t.service.unwatchFolder({ path: watched });
  });
});
