import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../core/api/types';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/**
 * Small files that expand into enormous outputs, or are not text at all, dropped with a good file:
 * each is refused alone with the limit it passed, through the real service (parse worker, chunking,
 * queue), and the good file is indexed.
 */
describe('files that would expand past what one file may produce', { timeout: 120_000 }, () => {
  let t: TestService;
  const dir = tempDir('qckstrt-amplify-');
  let jobs: Record<string, JobProgress>;

  beforeAll(async () => {
    t = await startTestService();
    const key = (i: number) => JSON.stringify(`k${i}`.padEnd(100, 'x'));
    const noise = randomBytes(64 * 1024);
    for (let i = 0; i < noise.length; i++) if (noise[i] === 0) noise[i] = 1;
    const columns = Array.from({ length: 5000 }, (_, i) => `how satisfied were you with this part of the service (no. ${i})`);
    const answers = columns.map(() => '1').join(',');
    writeFiles(dir.path, {
      'good.md': TOPICS['plants.md'],
      // 300 nested 100-character keys over 300 values: 34 KB that flatten to 9 MB of key paths.
      'keys.json': `{${Array.from({ length: 300 }, (_, i) => `${key(i)}:{`).join('')}${Array.from({ length: 300 }, (_, i) => `"a${i}":${i}`).join(',')}${'}'.repeat(301)}`,
      'deep.json': '['.repeat(100_000) + ']'.repeat(100_000),
      // 5 MB: 2.6 million numbers, 33 MB of lines: more chunks than a 5 MB file may make (~26,800).
      'flat.json': `[${Array.from({ length: 2_600_000 }, () => '0').join(',')}]`,
      'wide.csv': [columns.join(','), ...Array.from({ length: 100 }, () => answers)].join('\n'),
      // 3 MB on one line: plain text stays inside every bound and is indexed (memory stays linear).
      'line.txt': 'lorem ipsum dolor sit amet '.repeat(110_000),
      'noise.txt': noise,
    });
    const names = ['good.md', 'keys.json', 'deep.json', 'flat.json', 'wide.csv', 'line.txt', 'noise.txt'];
    const done = await indexAndWait(
      t.service,
      names.map((n) => join(dir.path, n)),
    );
    jobs = Object.fromEntries(done.map((j) => [j.fileName, j]));
  });
  afterAll(async () => {
    await t.dispose();
    dir.cleanup();
  });

  it('refuses each with the limit it passed', () => {
    const refused = (name: string, message: RegExp) =>
      expect(jobs[name], name).toMatchObject({ state: 'failed', error: { kind: 'UnsupportedFile', message: expect.stringMatching(message) } });
    refused('keys.json', /^keys\.json \(34 KB\) expands to more than 1\.7 MB of text; qckstrt indexes at most 20 times a file's size plus 1 MB of text/);
    refused('deep.json', /^deep\.json nests arrays and objects more than 1,000 levels deep/);
    refused('flat.json', /^flat\.json would make more than 26,\d{3} passages to embed, more than qckstrt takes from one file of its size/);
    refused('wide.csv', /^wide\.csv \(1\.3 MB\) expands to more than 26\.2 MB of text/);
    refused('noise.txt', /^noise\.txt is not a text file \(it looks like binary data\)/);
  });

  it('indexes the good files of the same batch, a long one-line text too', async () => {
    expect(jobs['good.md']?.state).toBe('done');
    expect(jobs['line.txt']?.state).toBe('done');
    expect((await t.service.listDocuments()).map((d) => d.name).sort()).toEqual(['good.md', 'line.txt']);
    const res = await t.service.search({ query: 'chlorophyll sunlight leaves', k: 1 });
    expect(res.hits[0]?.documentName).toBe('good.md');
  });
});
