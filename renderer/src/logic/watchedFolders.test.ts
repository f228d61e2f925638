import { describe, expect, it } from 'vitest';
import type { WatchedFolder } from '../../../core/api';
import { describeWatchedFolder, folderName, sortWatchedFolders } from './watchedFolders';

const folder = (path: string, patch: Partial<WatchedFolder> = {}): WatchedFolder => ({
  path,
  include: [],
  exclude: [],
  active: true,
  ...patch,
});

describe('folderName', () => {
  it.each([
    ['/home/u/notes', 'notes'],
    ['/home/u/notes/', 'notes'],
    ['C:\\Users\\u\\Papers', 'Papers'],
    ['/', '/'],
    ['C:\\', 'C:\\'],
  ])('%s → %s', (path, name) => expect(folderName(path)).toBe(name));
});

describe('describeWatchedFolder', () => {
  it('says a folder is watched, with its filters', () => {
    expect(describeWatchedFolder(folder('/n', { include: ['**/*.md'], exclude: ['drafts/**', 'tmp'] }))).toEqual({
      name: 'n',
      status: 'Watching',
      tone: 'ok',
      filters: 'Only **/*.md · skips drafts/**, tmp',
    });
    expect(describeWatchedFolder(folder('/n', { exclude: ['x'] })).filters).toBe('Skips x');
    expect(describeWatchedFolder(folder('/n')).filters).toBeNull();
  });

  it("shows the core's reason when a folder is not watched", () => {
    expect(describeWatchedFolder(folder('/gone', { active: false, message: 'The folder no longer exists.' }))).toMatchObject({
      status: 'The folder no longer exists.',
      tone: 'bad',
    });
    expect(describeWatchedFolder(folder('/gone', { active: false, message: ' ' })).status).toBe('Not watching');
  });
});

describe('sortWatchedFolders', () => {
  it('sorts by name, then path, without touching the input', () => {
    const list = [folder('/b/notes'), folder('/a/Papers'), folder('/a/notes')];
    expect(sortWatchedFolders(list).map((f) => f.path)).toEqual(['/a/notes', '/b/notes', '/a/Papers']);
    expect(list[0]?.path).toBe('/b/notes');
  });
});
