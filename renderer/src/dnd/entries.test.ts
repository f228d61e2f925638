import { describe, expect, it } from 'vitest';
import type { DirectoryEntryLike, EntryLike, FileEntryLike } from './entries';
import { walkDropped } from './entries';

const fileEntry = (path: string, fail = false): FileEntryLike => {
  const name = path.split('/').pop()!;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath: path,
    file: (ok, err) => (fail ? err?.(new Error('gone')) : ok(new File([path], name))),
  };
};

/** A directory whose reader hands out entries `batch` at a time, as Chromium does (100). */
const dirEntry = (path: string, children: EntryLike[], batch = 2): DirectoryEntryLike => ({
  isFile: false,
  isDirectory: true,
  name: path.split('/').pop()!,
  fullPath: path,
  createReader() {
    let i = 0;
    return {
      readEntries(ok) {
        const out = children.slice(i, i + batch);
        i += batch;
        queueMicrotask(() => ok(out));
      },
    };
  },
});

describe('walkDropped', () => {
  it('walks folders recursively in name order, reading every batch, skipping hidden entries', async () => {
    const tree = dirEntry('/notes', [
      fileEntry('/notes/b.md'),
      fileEntry('/notes/.DS_Store'),
      dirEntry('/notes/sub', [fileEntry('/notes/sub/z.txt'), fileEntry('/notes/sub/y.txt')]),
      dirEntry('/notes/.git', [fileEntry('/notes/.git/HEAD')]),
      fileEntry('/notes/a.md'),
    ]);
    const { files, unreadable } = await walkDropped([{ entry: tree, file: null }]);
    expect(files.map((f) => f.name)).toEqual(['a.md', 'b.md', 'y.txt', 'z.txt']);
    expect(unreadable).toEqual([]);
  });

  it('uses the item File for top-level files (synthetic drops), and entries when there is none', async () => {
    const direct = new File(['x'], 'direct.txt');
    const { files } = await walkDropped([
      { entry: fileEntry('/direct.txt', true), file: direct },
      { entry: null, file: new File(['y'], 'noentry.md') },
      { entry: fileEntry('/viaentry.md'), file: null },
    ]);
    expect(files.map((f) => f.name)).toEqual(['direct.txt', 'noentry.md', 'viaentry.md']);
    expect(files[0]).toBe(direct);
  });

  it('reports unreadable files and folders without giving up on the rest', async () => {
    const broken: DirectoryEntryLike = {
      ...dirEntry('/locked', []),
      createReader: () => ({ readEntries: (_ok, err) => err?.(new Error('denied')) }),
    };
    const tree = dirEntry('/d', [fileEntry('/d/gone.md', true), fileEntry('/d/ok.md'), broken]);
    const { files, unreadable } = await walkDropped([{ entry: tree, file: null }]);
    expect(files.map((f) => f.name)).toEqual(['ok.md']);
    expect(unreadable.sort()).toEqual(['/d/gone.md', '/locked']);
  });
});
