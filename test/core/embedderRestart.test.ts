import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

describe('changing the embedding server while files are being indexed', () => {
  let t: TestService | undefined;
  const files = tempDir('qckstrt-restart-');
  afterEach(async () => {
    await t?.dispose();
    files.cleanup();
  });

  it('restarts the model between batches: every queued file is indexed and the service closes', async () => {
    t = await startTestService();
    const paths = Array.from({ length: 30 }, (_, i) => {
      const p = join(files.path, `note-${i}.txt`);
      writeFileSync(p, `Note ${i} about gardens, rivers and mountains. `.repeat(300));
      return p;
    });
    await t.service.ingestFiles({ paths });
    // Wait until indexing is under way, then change a setting that reloads the model.
    while (!(await t.service.listJobs()).some((j) => j.state === 'embedding')) await new Promise((r) => setTimeout(r, 20));
    await t.service.updateSettings({ embedding: { ollamaUrl: 'http://127.0.0.1:9' } });
    await t.service.idle();
    const jobs = await t.service.listJobs();
    expect(jobs.map((j) => j.state).filter((s) => s !== 'done')).toEqual([]);
    expect((await t.service.listDocuments()).length).toBe(30);
  }, 120_000);
});
