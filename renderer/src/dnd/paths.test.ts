import { describe, expect, it } from 'vitest';
import { chunk, folderRootOf, pathsForFolderPick } from './paths';

describe('folderRootOf', () => {
  it('recovers the picked folder from a file path', () => {
    expect(folderRootOf('/home/u/notes/2024/a.md', 'notes/2024/a.md')).toBe('/home/u/notes');
    expect(folderRootOf('/home/u/notes/a.md', 'notes/a.md')).toBe('/home/u/notes');
    expect(folderRootOf('C:\\Users\\u\\notes\\sub\\a.md', 'notes/sub/a.md')).toBe('C:\\Users\\u\\notes');
  });
  it('gives up on paths it cannot explain', () => {
    expect(folderRootOf('/a.md', 'a.md')).toBeNull();
    expect(folderRootOf('', 'notes/a.md')).toBeNull();
    expect(folderRootOf('/a.md', 'x/y/z/a.md')).toBeNull();
  });
});

describe('pathsForFolderPick', () => {
  it('collapses a folder pick to its root', () => {
    expect(
      pathsForFolderPick([
        { path: '/u/notes/a.md', relativePath: 'notes/a.md' },
        { path: '/u/notes/s/b.md', relativePath: 'notes/s/b.md' },
        { path: '', relativePath: 'notes/c.md' },
      ]),
    ).toEqual(['/u/notes']);
  });
});

it('chunks', () => {
  expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunk([], 2)).toEqual([]);
});
