import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../core/api/types';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { makeDocx, makePdf } from '../helpers/documents';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Deterministic bytes with no NUL: what no text file holds. */
function noise(length: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return 1 + (x % 255);
  });
}

const MORE_BAD = [
  'truncated.pdf', 'empty.pdf', 'png.md', 'noise.md', 'gzip.txt', 'deep.json', 'broken.json', 'amplify.json', 'wide.csv', 'zip.docx',
  'truncated.docx', 'nul.html', 'nul.csv', 'nul.json', 'whitespace.md', 'empty.json', 'zero.txt', 'dangling.txt', 'loop-a.txt',
];

/**
 * The issue's hostile files, dropped together with good ones in one batch: each bad file fails
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
      // More of the issue's list, each alone in the batch.
      'truncated.pdf': makePdf([['A page that will be cut off']]).slice(0, 200),
      'empty.pdf': new Uint8Array(),
      'png.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
      'noise.md': noise(8 * 1024, 7),
      'gzip.txt': new Uint8Array([0x1f, 0x8b, 0x08, 0x00, ...noise(4096, 11)]),
      'deep.json': '['.repeat(100_000) + ']'.repeat(100_000),
      'broken.json': '{"a": [1, 2,',
      // 34 KB of 300 nested 100-character keys over 300 values: 9 MB of key paths.
      'amplify.json': `{${Array.from({ length: 300 }, (_, i) => `${JSON.stringify(`k${i}`.padEnd(100, 'x'))}:{`).join('')}${Array.from({ length: 300 }, (_, i) => `"a${i}":${i}`).join(',')}${'}'.repeat(301)}`,
      // 1.3 MB of 5,000 long column names over 100 rows: each value named by its column.
      'wide.csv': [
        Array.from({ length: 5000 }, (_, i) => `how satisfied were you with this part of the service (no. ${i})`).join(','),
        ...Array.from({ length: 100 }, () => Array.from({ length: 5000 }, () => '1').join(',')),
      ].join('\n'),
      'zip.docx': await makeDocx(['x'], (zip) => zip.remove('word/document.xml')),
      'truncated.docx': (await makeDocx(['Some words in a Word file'])).slice(0, 300),
      'nul.html': utf8('<html><body>\u0000\u0000\u0000binary</body></html>'),
      'nul.csv': utf8('a,b\n1,\u0000\n'),
      'nul.json': utf8('{"a": "\u0000"}'.replace('\\u0000', '\u0000')),
      'whitespace.md': '   \n\n\t  \n',
      'empty.json': '',
      [`${'n'.repeat(251)}.txt`]: TOPICS['taxes.txt'],
      'utf16.txt': new Uint8Array([0xff, 0xfe, ...Array.from(utf8('UTF-16 with a byte order mark: sunflower seeds')).flatMap((b) => [b, 0])]),
    });
    // A link to a device that never ends, and links that lead nowhere or round in circles.
    symlinkSync('/dev/zero', join(root, 'zero.txt'));
    symlinkSync(join(root, 'nowhere.txt'), join(root, 'dangling.txt'));
    symlinkSync(join(root, 'loop-b.txt'), join(root, 'loop-a.txt'));
    symlinkSync(join(root, 'loop-a.txt'), join(root, 'loop-b.txt'));
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
      ...MORE_BAD.map((f) => join(root, f)),
      join(root, `${'n'.repeat(251)}.txt`),
      join(root, 'utf16.txt'),
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

  it('fails 19 more alone, each with a reason of its own (31 bad files in all)', () => {
    const reasons = MORE_BAD.map((name) => `${name}: ${jobs[name]?.state} ${jobs[name]?.error?.kind} ${jobs[name]?.error?.message}`);
    for (const name of MORE_BAD) expect(jobs[name]?.state, reasons.join('\n')).toBe('failed');
    // Specific: the message names the file and says what is wrong with it, not a generic failure.
    for (const name of MORE_BAD) expect(jobs[name]?.error?.kind, name).not.toBe('Internal');
  });

  it('indexes the good files, odd names and legacy encodings included', async () => {
    const good = ['good.md', 'legacy.txt', 'new\nline.md', 'ünï cödé 😀 \u202Ertl.txt', `${'n'.repeat(251)}.txt`, 'utf16.txt'];
    for (const name of good) expect(jobs[name]?.state, name).toBe('done');
    const docs = await t.service.listDocuments();
    expect(docs.map((d) => d.name).sort()).toEqual(good.sort());
    expect((await t.service.search({ query: 'sunflower seeds', mode: 'keyword', k: 1 })).hits[0]?.documentName).toBe('utf16.txt');
    const res = await t.service.search({ query: 'café au lait', k: 1 });
    expect(res.hits[0]?.documentName).toBe('legacy.txt');
    expect(res.hits[0]?.snippet).toContain('Café');
  });

  it('keeps working afterwards', async () => {
    const res = await t.service.search({ query: 'bake bread dough yeast oven', k: 1 });
    expect(res.hits[0]?.documentName).toBe('new\nline.md');
    expect((await t.service.getStatus()).ingest).toMatchObject({ filesDone: 34, filesTotal: 34, failed: 28 });
  });
});
