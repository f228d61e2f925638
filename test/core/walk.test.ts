import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KbError } from '../../core/api/errors';
import { expandPaths, pathFilter, type PathPatterns } from '../../core/ingest/walk';
import { writeFiles } from '../helpers/corpus';
import { makeOddFolder, ODD_SKIPS } from '../helpers/oddFolder';
import { tempDir } from '../helpers/tempDir';

// The real readdir, recording which folders the walk enters.
const readDirs = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (path: string, options: { withFileTypes: true }) => {
    readDirs.push(path);
    return real.readdir(path, options);
  };
  return { ...real, readdir, default: { ...real, readdir } };
});

describe('expandPaths', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  /** The files found under `root`, relative to it, sorted. */
  const walkRel = async (root: string, patterns?: PathPatterns) => {
    const { files } = await expandPaths([root], patterns);
    return files.map((f) => f.path.slice(root.length + 1).split('\\').join('/')).sort();
  };

  it('walks folders for supported files, skipping hidden entries, node_modules, __pycache__ and .git', async () => {
    const root = join(dir.path, 'walk1');
    writeFiles(root, {
      'a.md': 'a',
      'sub/b.txt': 'b',
      'sub/image.png': 'x',
      '.hidden/c.md': 'c',
      'node_modules/d.md': 'd',
      'sub/node_modules/pkg/d2.md': 'd',
      'sub/__pycache__/m.txt': 'm',
      '.git/e.txt': 'e',
      'sub/.git/e2.txt': 'e',
      '.dotfile.md': 'f',
      'sub/.dot2.md': 'f',
    });
    const { files, missing } = await expandPaths([root]);
    expect(files.map((f) => f.path.slice(root.length + 1).split('\\').join('/')).sort()).toEqual(['a.md', 'sub/b.txt']);
    expect(missing).toEqual([]);
  });

  it('walks a dropped folder that is itself hidden (patterns are relative to it)', async () => {
    const root = join(dir.path, 'walk-hidden', '.notes');
    writeFiles(root, { 'a.md': 'a', '.cache/b.md': 'b' });
    expect(await walkRel(root)).toEqual(['a.md']);
  });

  it('replaces the default excludes with a given exclude list', async () => {
    const root = join(dir.path, 'walk-exclude');
    writeFiles(root, {
      'a.md': 'a',
      '.hidden/c.md': 'c',
      'node_modules/d.md': 'd',
      'drafts/x.md': 'x',
      'notes/drafts/y.md': 'y',
      'notes/keep.txt': 'k',
      'notes/skip.txt': 's',
    });
    // Hidden folders and node_modules come back: the list replaces DEFAULT_EXCLUDE.
    expect(await walkRel(root, { exclude: ['**/drafts', 'notes/skip.txt'] })).toEqual([
      '.hidden/c.md',
      'a.md',
      'node_modules/d.md',
      'notes/keep.txt',
    ]);
    expect(await walkRel(root, { exclude: [] })).toHaveLength(7);
    // Anchored: "drafts" is only the top-level folder.
    expect(await walkRel(root, { exclude: ['drafts'] })).toContain('notes/drafts/y.md');
    expect(await walkRel(root, { exclude: ['drafts'] })).not.toContain('drafts/x.md');
    // A gitignore-style trailing slash names a folder.
    expect(await walkRel(root, { exclude: ['notes/'] })).toEqual(['.hidden/c.md', 'a.md', 'drafts/x.md', 'node_modules/d.md']);
  });

  it('takes only files matching an include pattern, still only supported types, still excluding by default', async () => {
    const root = join(dir.path, 'walk-include');
    writeFiles(root, {
      'a.md': 'a',
      'b.txt': 'b',
      'docs/c.md': 'c',
      'docs/deep/d.md': 'd',
      'docs/e.png': 'e',
      '.hidden/f.md': 'f',
    });
    expect(await walkRel(root, { include: ['**/*.md'] })).toEqual(['a.md', 'docs/c.md', 'docs/deep/d.md']);
    // `*` stays within one folder, and include never lets in an unsupported type.
    expect(await walkRel(root, { include: ['*.md', 'docs/*'] })).toEqual(['a.md', 'docs/c.md']);
    expect(await walkRel(root, { include: [] })).toEqual(['a.md', 'b.txt', 'docs/c.md', 'docs/deep/d.md']);
  });

  it('does not enter a folder an exclude pattern matches', async () => {
    const root = join(dir.path, 'walk-prune');
    writeFiles(root, { 'a.md': 'a', 'big/b.md': 'b', 'big/inner/c.md': 'c', 'node_modules/pkg/d.md': 'd' });
    readDirs.length = 0;
    expect(await walkRel(root, { exclude: ['big', '**/node_modules'] })).toEqual(['a.md']);
    expect(readDirs).toEqual([root]);
    // Without the patterns the same folders are entered.
    readDirs.length = 0;
    expect(await walkRel(root, { exclude: [] })).toEqual(['a.md', 'big/b.md', 'big/inner/c.md', 'node_modules/pkg/d.md']);
    expect(readDirs).toContain(join(root, 'big', 'inner'));
  });

  it('pathFilter: folders pruned, files below an excluded folder never taken, paths outside the root refused', () => {
    const root = join(dir.path, 'filter');
    const filter = pathFilter(root, { exclude: ['big', '**/*.log.md'], include: ['**/*.md'] });
    expect(filter.skipDir(root)).toBe(false);
    expect(filter.skipDir(join(root, 'big'))).toBe(true);
    expect(filter.skipDir(join(root, 'sub', 'big'))).toBe(false);
    expect(filter.takeFile(join(root, 'big', 'deep', 'b.md'))).toBe(false);
    expect(filter.takeFile(join(root, 'sub', 'big', 'b.md'))).toBe(true);
    expect(filter.takeFile(join(root, 'a.md'))).toBe(true);
    expect(filter.takeFile(join(root, 'server.log.md'))).toBe(false);
    expect(filter.takeFile(join(root, 'a.txt'))).toBe(false); // not included
    expect(filter.takeFile(join(root, 'a.png.md'))).toBe(true);
    expect(filter.takeFile(join(dir.path, 'elsewhere.md'))).toBe(false);
    expect(filter.skipDir(dir.path)).toBe(true);
    // The defaults: hidden entries at any depth, dependency and cache folders.
    const byDefault = pathFilter(root);
    expect(byDefault.skipDir(join(root, '.git'))).toBe(true);
    expect(byDefault.skipDir(join(root, 'a', 'b', 'node_modules'))).toBe(true);
    expect(byDefault.skipDir(join(root, 'a', '__pycache__'))).toBe(true);
    expect(byDefault.takeFile(join(root, 'a', '.draft.md'))).toBe(false);
    expect(byDefault.takeFile(join(root, 'a', 'b.md'))).toBe(true);
    expect(byDefault.takeFile(join(root, 'a', 'photo.png'))).toBe(false);
  });

  it('rejects an invalid pattern with a ValidationError naming it', async () => {
    const root = join(dir.path, 'walk-invalid');
    writeFiles(root, { 'a.md': 'a' });
    for (const [patterns, named] of [
      [{ exclude: ['docs/[abc'] }, 'docs/[abc'],
      [{ include: ['*.md', 'a(b'] }, 'a(b'],
      [{ include: ['{a,b'] }, '{a,b'],
      [{ exclude: ['/abs/**'] }, '/abs/**'],
      [{ exclude: [''] }, 'empty'],
    ] as const) {
      const err = await expandPaths([root], patterns).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KbError);
      expect((err as KbError).kind).toBe('ValidationError');
      expect((err as KbError).message).toContain(named);
    }
    expect(() => pathFilter(root, { exclude: ['[z-a]'] })).toThrow(/\[z-a\]/);
  });

  it('survives a symlink loop and a folder dropped twice', async () => {
    const root = join(dir.path, 'walk2');
    writeFiles(root, { 'x/a.md': 'a' });
    symlinkSync(root, join(root, 'x', 'loop'));
    const { files } = await expandPaths([root, join(root, 'x')]);
    expect(files).toHaveLength(1);
    // Also with the default excludes replaced and an include that matches inside the loop.
    const again = await expandPaths([root], { exclude: [], include: ['**/a.md'] });
    expect(again.files.map((f) => f.path)).toEqual([join(root, 'x', 'a.md')]);
  });

  it('does not follow links out of the folder and lists every oddity with its reason', async () => {
    const root = join(dir.path, 'odd');
    const outside = join(dir.path, 'odd-outside');
    const { secret } = makeOddFolder(root, outside);
    const rel = (p: string) => p.slice(root.length + 1).split('\\').join('/');

    const { files, missing, skipped } = await expandPaths([root]);
    // The link inside the folder is followed (its target, reached twice, is taken once).
    expect(files.map((f) => rel(f.path)).sort()).toEqual(['good.md', 'inner-link.md']);
    expect(missing).toEqual([]);
    const reasons = Object.fromEntries(skipped.map((s) => [rel(s.path), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(Object.keys(ODD_SKIPS).sort());
    for (const [path, reason] of Object.entries(ODD_SKIPS)) expect(reasons[path], path).toMatch(reason);

    // Allowed by the setting: the links out are followed; the other oddities are still listed.
    const followed = await expandPaths([root], { followExternalLinks: true });
    expect(followed.files.map((f) => rel(f.path)).sort()).toEqual(['good.md', 'inner-link.md', 'outdir/outside.md', 'passwd.txt']);
    expect(followed.skipped.map((s) => rel(s.path)).sort()).toEqual(['dangling.md', 'loop-a.md', 'loop-b.md', 'null.txt', 'pipe.txt', 'sub/up']);

    // A file named by the user is their choice: indexed wherever it is.
    expect((await expandPaths([secret])).files.map((f) => f.path)).toEqual([secret]);
    expect((await expandPaths([join(root, 'passwd.txt')])).files.map((f) => rel(f.path))).toEqual(['passwd.txt']);
  });

  it('checks paths found in a watched folder (`within`) like entries of a walk of it', async () => {
    const root = join(dir.path, 'odd-within');
    makeOddFolder(root, join(dir.path, 'odd-within-outside'));
    const rel = (p: string) => p.slice(root.length + 1).split('\\').join('/');
    const paths = ['good.md', 'inner-link.md', 'passwd.txt', 'pipe.txt', 'null.txt', 'dangling.md', 'outdir/outside.md', 'gone.md'].map((p) => join(root, p));

    const { files, missing, skipped } = await expandPaths(paths, { within: root });
    expect(files.map((f) => rel(f.path))).toEqual(['good.md', 'inner-link.md']);
    expect(missing.map((m) => rel(m.path))).toEqual(['gone.md']);
    const reasons = Object.fromEntries(skipped.map((s) => [rel(s.path), s.reason]));
    expect(Object.keys(reasons)).toEqual(['passwd.txt', 'pipe.txt', 'null.txt', 'dangling.md', 'outdir/outside.md']);
    expect(reasons['outdir/outside.md']).toMatch(/^a link to a file outside .*followExternalLinks/);

    const followed = await expandPaths(paths, { within: root, followExternalLinks: true });
    expect(followed.files.map((f) => rel(f.path))).toEqual(['good.md', 'inner-link.md', 'passwd.txt', 'outdir/outside.md']);
  });

  it('keeps an explicitly named file whatever the patterns, and reports missing paths', async () => {
    const root = join(dir.path, 'walk3');
    const [png, hidden] = writeFiles(root, { 'photo.png': 'x', '.secret.md': 's' });
    mkdirSync(join(root, 'empty'));
    const { files, missing } = await expandPaths([png!, hidden!, join(root, 'nope.md'), join(root, 'empty')], {
      include: ['**/*.txt'],
    });
    expect(files.map((f) => f.name)).toEqual(['photo.png', '.secret.md']);
    expect(missing).toEqual([{ path: join(root, 'nope.md'), reason: 'file not found' }]);
  });
});
