import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../scripts/build-test-models';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { readEntries, writeEntries } from '../helpers/tarEntries';
import { tempDir } from '../helpers/tempDir';

const SECRET = 'S3cret-Pw-7f2e9';
const CHROMA_SECRET = 'chromaPw-41d7';

/**
 * Archives that are damaged or crafted are refused before anything is written, with the reason;
 * a backup never holds a password; another model's vectors need re-indexing; the schedule keeps
 * the newest automatic backups.
 */
describe('backup refusals, secrets, models and the schedule', { timeout: 240_000 }, () => {
  let t: TestService;
  let good: string;
  const work = tempDir('qckstrt-backup-refusals-');
  const docs = tempDir('qckstrt-backup-refusal-docs-');
  beforeAll(async () => {
    for (let i = 0; i < 6; i++) writeFileSync(join(docs.path, `note-${i}.md`), `# Note ${i}\n\nThe garden needs water on day ${i}; the invoice total was ${i * 10} euros.\n`);
    t = await startTestService();
    await indexAndWait(t.service, [docs.path]);
    // Secrets set where a careless backup would copy them from.
    await t.service.updateSettings({ relational: { postgres: { password: SECRET } }, vector: { chromaUrl: `http://reader:${CHROMA_SECRET}@127.0.0.1:8001` } });
    good = (await t.service.backupLibrary({ path: join(work.path, 'good.tar.gz') })).path;
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
    work.cleanup();
    docs.cleanup();
  });

  /** The library and data folder as they are: a refused restore must leave both exactly so. */
  const state = async () => ({
    docs: (await t.service.listDocuments()).map((d) => `${d.id} ${d.contentHash} ${d.chunkCount}`).sort(),
    files: readdirSync(t.dataDir).filter((f) => f !== 'backups' && !f.endsWith('-wal') && !f.endsWith('-shm')).sort(),
    settings: readFileSync(join(t.dataDir, 'settings.json'), 'utf8'),
  });

  async function expectRefused(file: string, message: RegExp) {
    const before = await state();
    await expect(t.service.restoreLibrary({ path: file })).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringMatching(message) });
    expect(await state()).toEqual(before);
  }

  it('never holds a password, in any entry', async () => {
    const raw = gunzipSync(readFileSync(good)).toString('latin1');
    expect(raw).toContain('"passwordSet": true'); // the settings are there, the password is not
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(CHROMA_SECRET);
    expect(statSync(good).mode & 0o077).toBe(0); // readable by its owner only
  });

  it('refuses one flipped byte, wherever it is', async () => {
    const original = readFileSync(good);
    // Past the gzip header (whose time and flags bytes no reader checks), at eight places.
    for (let k = 1; k <= 8; k++) {
      const bytes = Buffer.from(original);
      const at = 10 + Math.floor(((bytes.length - 10) * k) / 9);
      bytes[at]! ^= 0x01;
      const file = join(work.path, `flipped-${k}.tar.gz`);
      writeFileSync(file, bytes);
      // Most flips break the compressed stream; one inside it may first garble a line or a name.
      await expectRefused(file, /^The backup flipped-\d\.tar\.gz cannot be restored: .+\. Nothing was restored; the library is as it was\.$/);
    }
  });

  it('refuses a truncated archive', async () => {
    const file = join(work.path, 'truncated.tar.gz');
    writeFileSync(file, readFileSync(good).subarray(0, Math.floor(statSync(good).size * 0.6)));
    await expectRefused(file, /cut short/);
  });

  it('refuses a manifest whose checksums or counts do not match', async () => {
    const entries = await readEntries(good);
    const manifest = entries.find((e) => e.header.name === 'manifest.json')!;
    const m = JSON.parse(manifest.data.toString()) as { counts: { documents: number }; entries: { sha256: string }[] };
    const wrongSum = join(work.path, 'wrong-sum.tar.gz');
    m.entries[0]!.sha256 = '0'.repeat(64);
    await writeEntries(wrongSum, entries.map((e) => (e === manifest ? { header: e.header, data: Buffer.from(JSON.stringify(m)) } : e)));
    await expectRefused(wrongSum, /does not match its checksum/);

    const m2 = JSON.parse(manifest.data.toString()) as typeof m;
    m2.counts.documents += 1;
    const wrongCount = join(work.path, 'wrong-count.tar.gz');
    await writeEntries(wrongCount, entries.map((e) => (e === manifest ? { header: e.header, data: Buffer.from(JSON.stringify(m2)) } : e)));
    await expectRefused(wrongCount, /holds 6 documents where its manifest says 7/);

    const noManifest = join(work.path, 'no-manifest.tar.gz');
    await writeEntries(noManifest, entries.filter((e) => e !== manifest));
    await expectRefused(noManifest, /has no manifest\.json/);

    const notOurs = join(work.path, 'not-ours.tar.gz');
    await writeEntries(notOurs, entries.map((e) => (e === manifest ? { header: e.header, data: Buffer.from('{"format":"something-else"}') } : e)));
    await expectRefused(notOurs, /not a qckstrt backup manifest/);
  });

  it('refuses path-traversal names and links inside the archive, writing nothing outside', async () => {
    const entries = await readEntries(good);
    const escape = join(work.path, 'escape');
    const traversal = join(work.path, 'traversal.tar.gz');
    await writeEntries(traversal, [{ header: { name: '../../escape', type: 'file' }, data: Buffer.from('x') }, ...entries]);
    await expectRefused(traversal, /holds "\.\.\/\.\.\/escape", a name no qckstrt backup contains/);
    const absolute = join(work.path, 'absolute.tar.gz');
    await writeEntries(absolute, [...entries.slice(0, 1), { header: { name: escape, type: 'file' }, data: Buffer.from('x') }, ...entries.slice(1)]);
    await expectRefused(absolute, /a name no qckstrt backup contains/);
    const link = join(work.path, 'link.tar.gz');
    await writeEntries(link, [{ header: { name: `originals/${'a'.repeat(64)}`, type: 'symlink', linkname: '/etc/passwd' }, data: Buffer.alloc(0) }, ...entries]);
    await expectRefused(link, /is a symlink, not a file/);
    expect(existsSync(escape)).toBe(false);
  });

  it('refuses a file that is not a backup, and names a missing one', async () => {
    const file = join(work.path, 'noise.tar.gz');
    writeFileSync(file, Buffer.from('this is not an archive at all'));
    await expectRefused(file, /not a \.tar\.gz|damaged|cut short/);
    await expect(t.service.restoreLibrary({ path: join(work.path, 'missing.tar.gz') })).rejects.toMatchObject({ kind: 'NotFound' });
  });

  it('refuses to overwrite a file, or a name without .tar.gz', async () => {
    await expect(t.service.backupLibrary({ path: good })).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringMatching(/already exists/) });
    await expect(t.service.backupLibrary({ path: join(work.path, 'x.zip') })).rejects.toMatchObject({ message: expect.stringMatching(/\.tar\.gz/) });
  });

  it("refuses another model's vectors unless re-indexing, which embeds the text again", async () => {
    const model = ensureTestModel('tiny-bert');
    const other = await startTestService({ QCKSTRT_EMBEDDING_MODEL: model.dir });
    try {
      await expect(other.service.restoreLibrary({ path: good })).rejects.toMatchObject({
        kind: 'DimensionMismatch',
        message: expect.stringMatching(/qckstrt\/glove-sg-100d \(100 numbers each\).*--reindex/),
      });
      expect(await other.service.listDocuments()).toEqual([]);
      const r = await other.service.restoreLibrary({ path: good, reindex: true });
      expect(r).toMatchObject({ documents: 6, reindexed: true });
      const hits = await other.service.search({ query: 'invoice total', mode: 'keyword' });
      expect(hits.hits.length).toBeGreaterThan(0);
      const status = await other.service.getStatus();
      expect(status.counts.vectors).toBe(status.counts.keywordChunks);
      expect(status.counts.documents).toBe(6);
    } finally {
      await other.dispose();
    }
  });

  it('makes automatic backups when due and keeps the newest `keep` of them, never a manual one', async () => {
    const manual = await t.service.backupLibrary({});
    await t.service.updateSettings({ backup: { schedule: 'daily', keep: 2 } });
    const day = 24 * 3600_000;
    const made = [];
    // The clock is given: each call a day after the last backup's file time.
    for (let i = 0; i < 3; i++) {
      const r = await t.service.runScheduledBackup(Date.now() + (i + 1) * day);
      expect(r?.automatic).toBe(true);
      made.push(r!.name);
      await new Promise((res) => setTimeout(res, 1100)); // distinct file names (to the second)
    }
    expect(await t.service.runScheduledBackup(Date.now())).toBeUndefined(); // not due: the last is fresh
    const { backups, last } = await t.service.listBackups();
    expect(backups.filter((b) => b.automatic).map((b) => b.name)).toEqual([made[2], made[1]]);
    expect(backups.filter((b) => !b.automatic).map((b) => b.name)).toEqual([manual.name]);
    expect(last).toMatchObject({ automatic: true, documents: 6 });
    expect((await t.service.getStatus()).lastBackup?.path).toBe(join(t.dataDir, 'backups', made[2]!));
  });
});
