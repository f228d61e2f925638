import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../core/api/types';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { makeDocx, makePdf } from '../helpers/documents';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The hostile files, dropped together with good ones in one batch: each bad file fails
 * alone with a specific error kind, the good ones (odd names included) are indexed, and the app
 * keeps answering.
 */
describe('a batch full of hostile files', { timeout: 120_000 }, () => {
  let t: TestService;
  const dir = tempDir('qckstrt-hostile-');
  let jobs: Record<string, JobProgress>;

  beforeAll(async () => {
    t = await startTestService();
    const root = dir.path;
    writeFiles(root, {
      'good.md': TOPICS['plants.md'],
      'empty.txt': '',
      'nul.txt': utf8('text\u0000with\u0000NUL bytes\u0000everywhere'),
      'corrupt.pdf': utf8('%PDF-1.4\nthis is not really a pdf'),
      'locked.pdf': makePdf([['Top secret']], { encrypt: true }),
      'bomb.docx': await makeDocx(['Innocent.'], (zip) => zip.file('word/media/zeros.bin', new Uint8Array(20 * 1024 * 1024))),
      'fake.docx': utf8('plain text pretending to be Word'),
      'legacy.txt': new Uint8Array([...utf8('Caf'), 0xe9, ...utf8(' au lait: invalid UTF-8, read as Windows-1252')]),
      'new\nline.md': TOPICS['cooking.md'],
      'ünï cödé 😀 \u202Ertl.txt': TOPICS['football.txt'],
    });
    // 500 MB without writing 500 MB: a sparse file over the 50 MB default limit.
    writeFileSync(join(root, 'huge.txt'), '');
    truncateSync(join(root, 'huge.txt'), 500 * 1024 * 1024);
    // Not a regular file, whatever its name says.
    execFileSync('mkfifo', [join(root, 'pipe.txt')]);
    const done = await indexAndWait(t.service, [
      ...['good.md', 'empty.txt', 'nul.txt', 'corrupt.pdf', 'locked.pdf', 'bomb.docx', 'fake.docx', 'legacy.txt'].map((f) => join(root, f)),
      join(root, 'new\nline.md'),
      join(root, 'ünï cödé 😀 \u202Ertl.txt'),
      join(root, 'huge.txt'),
      join(root, 'pipe.txt'),
      join(root, 'gone.txt'),
    ]);
    jobs = Object.fromEntries(done.map((j) => [j.fileName, j]));
  });
  afterAll(async () => {
    await t.dispose();
    dir.cleanup();
  });

  it('fails each bad file alone with its own kind and reason', () => {
    const failed = (name: string, kind: string, message: RegExp) =>
      expect(jobs[name], name).toMatchObject({ state: 'failed', error: { kind, message: expect.stringMatching(message) } });
    failed('empty.txt', 'UnsupportedFile', /empty/);
    failed('nul.txt', 'UnsupportedFile', /not text|binary|NUL/i);
    failed('corrupt.pdf', 'UnsupportedFile', /not a readable PDF/);
    failed('locked.pdf', 'UnsupportedFile', /password-protected/);
    failed('bomb.docx', 'UnsupportedFile', /zip bomb/);
    failed('fake.docx', 'UnsupportedFile', /not a valid zip/);
    failed('huge.txt', 'FileTooLarge', /500\.0 MB; the limit is 50 MB/);
    failed('pipe.txt', 'UnsupportedFile', /not a regular file/);
    failed('gone.txt', 'NotFound', /not found|no longer exists/);
  });

  it('indexes the good files, odd names and legacy encodings included', async () => {
    for (const name of ['good.md', 'legacy.txt', 'new\nline.md', 'ünï cödé 😀 \u202Ertl.txt']) expect(jobs[name]?.state, name).toBe('done');
    const docs = await t.service.listDocuments();
    expect(docs.map((d) => d.name).sort()).toEqual(['good.md', 'legacy.txt', 'new\nline.md', 'ünï cödé 😀 \u202Ertl.txt'].sort());
    const res = await t.service.search({ query: 'café au lait', k: 1 });
    expect(res.hits[0]?.documentName).toBe('legacy.txt');
    expect(res.hits[0]?.snippet).toContain('Café');
  });

  it('keeps working afterwards', async () => {
    const res = await t.service.search({ query: 'bake bread dough yeast oven', k: 1 });
    expect(res.hits[0]?.documentName).toBe('new\nline.md');
    expect((await t.service.getStatus()).ingest).toMatchObject({ filesDone: 13, filesTotal: 13, failed: 9 });
  });
});
