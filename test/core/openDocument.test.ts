import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../core/ingest/fileStore';
import { locateOriginal, sha256OfFile } from '../../core/service/originalFile';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

describe('openDocument in the core: which file shows the document as indexed', () => {
  const files = tempDir();
  let t: TestService;
  const root = join(files.path, 'notes');
  const idOf = async (name: string) => (await t.service.listDocuments()).find((d) => d.name === name)!.id;
  const keptCopyOf = (text: string) => {
    const key = sha256(Buffer.from(text));
    return join(t.dataDir, 'files', key.slice(0, 2), key);
  };

  beforeAll(async () => {
    t = await startTestService();
    writeFiles(root, { 'plants.md': TOPICS['plants.md'], 'football.txt': TOPICS['football.txt'], 'taxes.txt': TOPICS['taxes.txt'] });
    const jobs = await indexAndWait(t.service, [root]);
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done']);
  });
  afterAll(async () => {
    await t.dispose();
    files.cleanup();
  });

  it('answers the source file while it is unchanged (the core opens nothing itself)', async () => {
    const id = await idOf('plants.md');
    expect(await t.service.openDocument({ id })).toEqual({ opened: false, path: join(root, 'plants.md') });
    // A page does not change which file.
    expect(await t.service.openDocument({ id, page: 2 })).toEqual({ opened: false, path: join(root, 'plants.md') });
    expect(await t.service.originalFile(id)).toMatchObject({ name: 'plants.md', mimeType: 'text/markdown', from: 'source' });
  });

  it('falls back to the kept copy when the source was edited since, even at the same size', async () => {
    const id = await idOf('football.txt');
    const source = join(root, 'football.txt');
    const original = TOPICS['football.txt'];
    writeFileSync(source, original.replace(/a/, 'e')); // same length, other bytes
    const { path } = await t.service.openDocument({ id });
    expect(path).toBe(keptCopyOf(original));
    expect(readFileSync(path!, 'utf8')).toBe(original);
  });

  it('falls back to the kept copy when the source was moved away', async () => {
    const id = await idOf('taxes.txt');
    renameSync(join(root, 'taxes.txt'), join(files.path, 'taxes-moved.txt'));
    const file = await t.service.originalFile(id);
    expect(file).toMatchObject({ path: keptCopyOf(TOPICS['taxes.txt']), from: 'copy', name: 'taxes.txt' });
    expect(readFileSync(file.path, 'utf8')).toBe(TOPICS['taxes.txt']);
  });

  it('answers the kept copy for a browser upload, which has no source', async () => {
    await t.service.ingestUpload({ name: 'ice.txt', bytes: new TextEncoder().encode('Glaciers carve valleys as the ice moves.') });
    await t.service.idle();
    const { path } = await t.service.openDocument({ id: await idOf('ice.txt') });
    expect(path).toBe(keptCopyOf('Glaciers carve valleys as the ice moves.'));
  });

  it('is NotFound for an unknown id', async () => {
    await expect(t.service.openDocument({ id: 'no-such-document' })).rejects.toMatchObject({ kind: 'NotFound' });
  });
});

describe('locateOriginal', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());
  const text = 'Some words to keep.';
  const doc = { name: 'a.txt', mimeType: 'text/plain', size: text.length, contentHash: sha256(Buffer.from(text)), storageKey: sha256(Buffer.from(text)) };

  it('hashes a file as fileStore does', async () => {
    const path = join(dir.path, 'h.bin');
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff); // more than one stream chunk
    writeFileSync(path, bytes);
    expect(await sha256OfFile(path)).toBe(sha256(bytes));
  });

  it('is NotFound, naming the document, when both the source and the kept copy are gone', async () => {
    const source = join(dir.path, 'a.txt');
    writeFileSync(source, text);
    const files = { pathOf: (key: string) => join(dir.path, 'store', key) };
    expect(await locateOriginal({ ...doc, sourcePath: source }, files)).toMatchObject({ path: source, from: 'source' });
    rmSync(source);
    await expect(locateOriginal({ ...doc, sourcePath: source }, files)).rejects.toMatchObject({
      kind: 'NotFound',
      message: expect.stringContaining('a.txt'),
    });
  });

  it('never answers a kept copy of the wrong size', async () => {
    const store = join(dir.path, 'store2');
    const files = { pathOf: (key: string) => join(store, key) };
    writeFiles(store, { [doc.storageKey]: '' });
    await expect(locateOriginal({ ...doc, sourcePath: null }, files)).rejects.toMatchObject({ kind: 'NotFound' });
    writeFiles(store, { [doc.storageKey]: text });
    expect(await locateOriginal({ ...doc, sourcePath: null }, files)).toMatchObject({ path: join(store, doc.storageKey), from: 'copy' });
  });
});
