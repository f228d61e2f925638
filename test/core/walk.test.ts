import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../core/ingest/walk';
import { writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

describe('expandPaths', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('walks folders for supported files, skipping hidden folders, node_modules and .git', async () => {
    const root = join(dir.path, 'walk1');
    writeFiles(root, {
      'a.md': 'a',
      'sub/b.txt': 'b',
      'sub/image.png': 'x',
      '.hidden/c.md': 'c',
      'node_modules/d.md': 'd',
      '.git/e.txt': 'e',
      '.dotfile.md': 'f',
    });
    const { files, missing } = await expandPaths([root]);
    expect(files.map((f) => f.path.slice(root.length + 1)).sort()).toEqual(['a.md', 'sub/b.txt']);
    expect(missing).toEqual([]);
  });

  it('survives a symlink loop and a folder dropped twice', async () => {
    const root = join(dir.path, 'walk2');
    writeFiles(root, { 'x/a.md': 'a' });
    symlinkSync(root, join(root, 'x', 'loop'));
    const { files } = await expandPaths([root, join(root, 'x')]);
    expect(files).toHaveLength(1);
  });

  it('keeps an explicitly named unsupported file (it fails later with a reason) and reports missing paths', async () => {
    const root = join(dir.path, 'walk3');
    const [png] = writeFiles(root, { 'photo.png': 'x' });
    mkdirSync(join(root, 'empty'));
    const { files, missing } = await expandPaths([png!, join(root, 'nope.md'), join(root, 'empty')]);
    expect(files.map((f) => f.name)).toEqual(['photo.png']);
    expect(missing).toEqual([{ path: join(root, 'nope.md'), reason: 'file not found' }]);
  });
});
