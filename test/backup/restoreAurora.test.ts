import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewLibrary } from '../helpers/librarySnapshot';
import { indexAndWait, startTestService } from '../helpers/service';
import { readEntries, writeEntries } from '../helpers/tarEntries';
import { tempDir } from '../helpers/tempDir';
import { LOCAL_CREDENTIALS, useAuroraStack } from '../services/auroraStack';

const QUERIES = ['green plants sunlight', 'invoice deduction'];

/**
 * Aurora (through the RDS Data API: here a local endpoint backed by a real PostgreSQL) has no
 * schema per connection, so its rows get no generation: a restore writes into its tables when
 * they are empty, refuses otherwise, and a failed restore empties them again.
 */
describe('restoring into Aurora', { timeout: 180_000 }, () => {
  const aurora = useAuroraStack();
  const dirs = [tempDir('qckstrt-aurora-restore-docs-'), tempDir('qckstrt-aurora-restore-src-'), tempDir('qckstrt-aurora-restore-dst-')];
  const [docs, source, target] = dirs.map((d) => d.path) as [string, string, string];
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  let env: Record<string, string>;
  beforeAll(() => {
    // The SDK's credential chain reads these (the local endpoint checks requests are signed).
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    const s = aurora.settings();
    env = {
      RELATIONAL_DB_PROVIDER: 'aurora',
      RELATIONAL_DB_RESOURCE_ARN: s.resourceArn,
      RELATIONAL_DB_SECRET_ARN: s.secretArn,
      RELATIONAL_DB_DATABASE: s.database,
      RELATIONAL_DB_DATA_API_ENDPOINT: s.endpoint,
    };
  });
  afterAll(() => {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    dirs.forEach((d) => d.cleanup());
  });

  it('writes into empty tables, refuses a non-empty library, and empties them again after a failure', async () => {
    writeFileSync(join(docs, 'plants.md'), '# Plants\n\nGreen plants turn sunlight into food by photosynthesis.\n');
    writeFileSync(join(docs, 'taxes.txt'), 'Keep every invoice and receipt for the deduction.\n');
    const src = await startTestService({}, source);
    await indexAndWait(src.service, [docs]);
    const before = await viewLibrary(src.service, QUERIES);
    const backup = await src.service.backupLibrary({});
    await src.service.close();

    const dst = await startTestService(env, target);
    try {
      const restored = await dst.service.restoreLibrary({ path: backup.path });
      expect(restored).toMatchObject({ documents: 2, vectors: backup.vectors });
      const after = await viewLibrary(dst.service, QUERIES);
      expect(after.docs).toEqual(before.docs);
      expect(after.texts).toEqual(before.texts);
      expect(after.searches).toEqual(before.searches);

      // Not empty now: a second restore is refused, naming why, and changes nothing.
      await expect(dst.service.restoreLibrary({ path: backup.path })).rejects.toMatchObject({
        kind: 'ValidationError',
        message: expect.stringMatching(/must be empty \(it has 2 documents\)/),
      });
      expect((await dst.service.listDocuments()).length).toBe(2);

      // Emptied, then a restore that fails after writing a document empties the tables again: an
      // archive (checksums made to match) whose second document claims the first one's source,
      // which the database refuses.
      await dst.service.deleteDocuments({ ids: after.docs.map((d) => d.id) });
      const entries = await readEntries(backup.path);
      const part = entries.find((e) => e.header.name.startsWith('library/'))!;
      const lines = part.data.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { t: string; doc?: { sourceKey: string } });
      const docLines = lines.filter((l) => l.t === 'doc');
      docLines[1]!.doc!.sourceKey = docLines[0]!.doc!.sourceKey;
      part.data = Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const manifestEntry = entries.find((e) => e.header.name === 'manifest.json')!;
      const manifest = JSON.parse(manifestEntry.data.toString()) as { entries: { name: string; size: number; sha256: string }[] };
      const listed = manifest.entries.find((e) => e.name === part.header.name)!;
      listed.size = part.data.byteLength;
      listed.sha256 = createHash('sha256').update(part.data).digest('hex');
      manifestEntry.data = Buffer.from(JSON.stringify(manifest));
      const crafted = join(target, 'crafted.tar.gz');
      await writeEntries(crafted, entries);
      await expect(dst.service.restoreLibrary({ path: crafted })).rejects.toThrow(/duplicate key value violates unique constraint "documents_user_source"/);
      expect(await dst.service.listDocuments()).toEqual([]);
      expect((await dst.service.getStatus()).counts).toMatchObject({ documents: 0, vectors: 0 });
    } finally {
      await dst.service.close();
    }
  });
});
