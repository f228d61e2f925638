import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { KbError } from '../../core/api/errors';
import { describeWatchError, type FolderChanges, FolderWatcher, type FolderWatcherOptions } from '../../core/ingest/folderWatcher';
import { writeFiles } from '../helpers/corpus';
import { mkfifo } from '../helpers/oddFolder';
import { tempDir } from '../helpers/tempDir';

// Generous: this runs on a slow shared machine. Waits poll and end as soon as the condition holds.
const WAIT = { timeout: 20_000, interval: 50 };

const dir = tempDir('qckstrt-watch-');
afterAll(dir.cleanup);

const started: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.close()));
});

let rootCount = 0;
/** A fresh folder with these files in it. */
function makeRoot(files: Record<string, string> = {}): string {
  const root = join(dir.path, `root${++rootCount}`);
  mkdirSync(root, { recursive: true });
  writeFiles(root, files);
  return root;
}

/** Starts a watcher on `root` that records its batches (paths relative to root, forward slashes). */
async function watchRoot(root: string, options: Partial<FolderWatcherOptions> = {}) {
  const batches: FolderChanges[] = [];
  const errors: string[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const watcher = new FolderWatcher(root, {
    quietMs: 400,
    ...options,
    onChanges: async (changes) => {
      await options.onChanges?.(changes);
      batches.push({ added: changes.added.map(rel), changed: changes.changed.map(rel), removed: changes.removed.map(rel), skipped: changes.skipped.map(rel) });
    },
    onError: (message) => errors.push(message),
  });
  started.push(watcher);
  await watcher.start();
  /** Every path reported under `kind`, across batches. */
  const all = (kind: keyof FolderChanges) => batches.flatMap((b) => b[kind]);
  /** Every path in any batch. */
  const everything = () => batches.flatMap((b) => [...b.added, ...b.changed, ...b.removed]);
  return { watcher, batches, errors, all, everything };
}

describe('FolderWatcher', () => {
  it('reports a file added, then changed, then deleted, and nothing for unsupported files', async () => {
    const root = makeRoot({ 'old.md': 'old' });
    const h = await watchRoot(root);

    writeFileSync(join(root, 'a.md'), 'first');
    writeFileSync(join(root, 'photo.png'), 'not a document');
    await vi.waitFor(() => expect(h.all('added')).toEqual(['a.md']), WAIT);

    appendFileSync(join(root, 'a.md'), ' and more');
    await vi.waitFor(() => expect(h.all('changed')).toEqual(['a.md']), WAIT);

    unlinkSync(join(root, 'a.md'));
    await vi.waitFor(() => expect(h.all('removed')).toEqual(['a.md']), WAIT);

    expect(h.everything().sort()).toEqual(['a.md', 'a.md', 'a.md']);
    expect(h.errors).toEqual([]);
    expect(h.watcher.active).toBe(true);
  });

  it('reports a rename as removed + added in one batch', async () => {
    const root = makeRoot({ 'notes/before.md': 'text' });
    const h = await watchRoot(root);

    renameSync(join(root, 'notes', 'before.md'), join(root, 'notes', 'after.md'));

    await vi.waitFor(() => expect(h.everything()).toHaveLength(2), WAIT);
    expect(h.batches).toEqual([{ added: ['notes/after.md'], changed: [], removed: ['notes/before.md'], skipped: [] }]);
  });

  it('reports nothing for a file added and removed within one batch', async () => {
    const root = makeRoot();
    const h = await watchRoot(root);

    writeFileSync(join(root, 'brief.md'), 'here and gone');
    unlinkSync(join(root, 'brief.md'));
    writeFileSync(join(root, 'sentinel.md'), 'stays');

    await vi.waitFor(() => expect(h.all('added')).toContain('sentinel.md'), WAIT);
    expect(h.everything()).toEqual(['sentinel.md']);
  });

  it('reports the files of a new subfolder, following the patterns', async () => {
    const root = makeRoot({ 'a.md': 'a' });
    const h = await watchRoot(root);

    writeFiles(root, {
      'new/x.md': 'x',
      'new/deep/y.txt': 'y',
      'new/deep/skip.png': 'png',
      'new/node_modules/pkg/z.md': 'z',
      'new/.cache/c.md': 'c',
    });

    await vi.waitFor(() => expect(h.all('added').sort()).toEqual(['new/deep/y.txt', 'new/x.md']), WAIT);
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'new', 'new/deep']);
  });

  it('reports every file of a folder copied in file by file', async () => {
    const root = makeRoot();
    const h = await watchRoot(root);

    // Folders appearing while files are written into them: chokidar alone can miss files here.
    const expected: string[] = [];
    for (let d = 0; d < 5; d++) {
      await mkdir(join(root, `copy${d}`, 'inner'), { recursive: true });
      for (let i = 0; i < 40; i++) {
        await writeFile(join(root, `copy${d}`, 'inner', `f${i}.md`), `file ${d}/${i}`);
        expected.push(`copy${d}/inner/f${i}.md`);
      }
    }

    await vi.waitFor(() => expect(new Set(h.all('added'))).toEqual(new Set(expected)), WAIT);
    expect(h.all('added')).toHaveLength(expected.length);
    // The files found by the rescan are watched from then on.
    writeFileSync(join(root, 'copy4', 'inner', 'f39.md'), 'edited');
    await vi.waitFor(() => expect(h.all('changed')).toEqual(['copy4/inner/f39.md']), WAIT);
  });

  it('reports files created between chokidar listing a new folder and watching it', async () => {
    const root = makeRoot();
    const h = await watchRoot(root);
    // Reproduces chokidar issue #1471 deterministically: right after chokidar has listed the new
    // folder, and before it watches it, a file and a folder with a file appear in it.
    const chokidar = (h.watcher as unknown as { watcher: FSWatcher }).watcher;
    const handler = chokidar._nodeFsHandler;
    const handleRead = handler._handleRead.bind(handler);
    const fresh = join(root, 'fresh');
    let injected = false;
    handler._handleRead = (directory, ...rest) => {
      const listed = handleRead(directory, ...rest);
      if (injected || join(directory, '.') !== fresh || !listed) return listed;
      injected = true;
      return listed.then((value) => {
        writeFiles(fresh, { 'late.md': 'late', 'late-dir/z.md': 'z' });
        return value;
      });
    };

    writeFiles(root, { 'fresh/early.md': 'early' });

    await vi.waitFor(() => expect(h.all('added').sort()).toEqual(['fresh/early.md', 'fresh/late-dir/z.md', 'fresh/late.md']), WAIT);
    expect(injected).toBe(true);
    // chokidar watches them from then on.
    writeFileSync(join(fresh, 'late-dir', 'z.md'), 'edited');
    await vi.waitFor(() => expect(h.all('changed')).toEqual(['fresh/late-dir/z.md']), WAIT);
  });

  it('reports every file of a deleted subfolder and of one moved out of the root', async () => {
    const root = makeRoot({
      'keep.md': 'k',
      'gone/a.md': 'a',
      'gone/deep/b.txt': 'b',
      'gone/c.png': 'c',
      'moved/d.md': 'd',
      'moved/deeper/e.md': 'e',
    });
    const h = await watchRoot(root);

    rmSync(join(root, 'gone'), { recursive: true });
    await vi.waitFor(() => expect(h.all('removed').sort()).toEqual(['gone/a.md', 'gone/deep/b.txt']), WAIT);

    renameSync(join(root, 'moved'), join(dir.path, `moved-out-${rootCount}`));
    await vi.waitFor(
      () => expect(h.all('removed').sort()).toEqual(['gone/a.md', 'gone/deep/b.txt', 'moved/d.md', 'moved/deeper/e.md']),
      WAIT,
    );
    expect(h.all('added')).toEqual([]);
    expect(h.watcher.active).toBe(true);
  });

  it('never watches excluded folders and reports nothing written into them', async () => {
    const root = makeRoot({
      'docs/a.md': 'a',
      'node_modules/pkg/readme.md': 'r',
      '.git/description.md': 'git',
      'docs/__pycache__/m.txt': 'm',
    });
    const h = await watchRoot(root);
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'docs']);

    writeFileSync(join(root, 'node_modules', 'pkg', 'readme.md'), 'changed');
    writeFileSync(join(root, 'node_modules', 'pkg', 'new.md'), 'new');
    writeFileSync(join(root, '.git', 'description.md'), 'changed');
    writeFiles(root, { '.git/objects/x.txt': 'x', 'docs/__pycache__/n.txt': 'n', '.hidden.md': 'h' });
    writeFileSync(join(root, 'docs', 'sentinel.md'), 'written last');

    await vi.waitFor(() => expect(h.all('added')).toContain('docs/sentinel.md'), WAIT);
    expect(h.everything()).toEqual(['docs/sentinel.md']);
  });

  it('applies custom include and exclude patterns (the exclude list replacing the defaults)', async () => {
    const root = makeRoot({ 'drafts/d.md': 'd', '.notes/n.md': 'n' });
    const h = await watchRoot(root, { include: ['**/*.md'], exclude: ['drafts'] });
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', '.notes']);

    writeFiles(root, { 'drafts/e.md': 'e', 'plain.txt': 'not included', '.notes/m.md': 'm', 'sub/s.md': 's' });

    await vi.waitFor(() => expect(h.all('added').sort()).toEqual(['.notes/m.md', 'sub/s.md']), WAIT);
    expect(h.everything().sort()).toEqual(['.notes/m.md', 'sub/s.md']);
  });

  it('reports a file written in several chunks once, complete', async () => {
    const root = makeRoot();
    const seenContent: string[] = [];
    const target = join(root, 'big.md');
    const h = await watchRoot(root, {
      // Longer than the pauses between chunks, even on a loaded machine.
      quietMs: 1500,
      onChanges: (changes) => {
        if (changes.added.includes(target) || changes.changed.includes(target)) seenContent.push(readFileSync(target, 'utf8'));
      },
    });

    const chunks = Array.from({ length: 6 }, (_, i) => `chunk ${i} `.repeat(2000));
    for (const chunk of chunks) {
      appendFileSync(target, chunk);
      await new Promise((r) => setTimeout(r, 50));
    }
    writeFileSync(join(root, 'after.md'), 'written after the big file');

    await vi.waitFor(() => expect(h.all('added')).toContain('after.md'), WAIT);
    expect(h.all('added')).toContain('big.md');
    expect(h.everything().filter((p) => p === 'big.md')).toEqual(['big.md']);
    expect(seenContent).toEqual([chunks.join('')]);
  });

  it('survives a symlink loop inside the folder', async () => {
    const root = makeRoot({ 'x/a.md': 'a' });
    symlinkSync(root, join(root, 'x', 'loop'));
    const h = await watchRoot(root);
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'x']);

    writeFileSync(join(root, 'x', 'a.md'), 'edited');
    await vi.waitFor(() => expect(h.all('changed')).toEqual(['x/a.md']), WAIT);
    expect(h.everything()).toEqual(['x/a.md']);
    expect(h.errors).toEqual([]);
  });

  it('does not watch links leading outside the folder; reports them, pipes and device links as skipped, once', async () => {
    const outside = makeRoot({ 'secret.md': 's', 'dir/a.md': 'a' });
    const root = makeRoot({ 'x/a.md': 'a', 'inside.md': 'i' });
    symlinkSync(join(outside, 'dir'), join(root, 'early-outdir'));
    symlinkSync(join(root, 'x'), join(root, 'x-link'));
    const h = await watchRoot(root);
    // A link into the folder is watched; one leading out is not (what was there at start is the walk's to list).
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'x', 'x-link']);

    symlinkSync(join(outside, 'secret.md'), join(root, 'leak.md'));
    symlinkSync(join(outside, 'dir'), join(root, 'outdir'));
    symlinkSync('/dev/null', join(root, 'null.md'));
    mkfifo(join(root, 'pipe.md'));
    writeFileSync(join(root, 'new.md'), 'n');
    await vi.waitFor(() => expect(h.batches.flatMap((b) => b.skipped).sort()).toEqual(['leak.md', 'null.md', 'outdir', 'pipe.md']), WAIT);
    await vi.waitFor(() => expect(h.all('added')).toEqual(['new.md']), WAIT);

    // Changes outside are not seen; changes beside a skipped link do not list it again.
    writeFileSync(join(outside, 'dir', 'b.md'), 'b');
    writeFileSync(join(outside, 'secret.md'), 'changed');
    writeFileSync(join(root, 'inside.md'), 'edited');
    await vi.waitFor(() => expect(h.all('changed')).toEqual(['inside.md']), WAIT);
    await new Promise((r) => setTimeout(r, 800));
    expect(h.everything()).toEqual(['new.md', 'inside.md']);
    expect(h.batches.flatMap((b) => b.skipped)).toHaveLength(4);
    expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'x', 'x-link']);
  });

  it('follows links leading outside when allowed', async () => {
    const outside = makeRoot({ 'dir/a.md': 'a' });
    const root = makeRoot({ 'inside.md': 'i' });
    const h = await watchRoot(root, { followExternalLinks: () => true });
    symlinkSync(join(outside, 'dir'), join(root, 'outdir'));
    await vi.waitFor(() => expect(h.watcher.watchedFolders().map((d) => relative(root, d).split(sep).join('/'))).toEqual(['', 'outdir']), WAIT);
    writeFileSync(join(outside, 'dir', 'b.md'), 'b');
    await vi.waitFor(() => expect(h.all('added')).toContain('outdir/b.md'), WAIT);
    expect(h.batches.flatMap((b) => b.skipped)).toEqual([]);
  });

  it('stops reporting after close()', async () => {
    const root = makeRoot();
    const closed = await watchRoot(root);
    // A second watcher on the same folder tells when the first would have reported.
    const witness = await watchRoot(root);

    await closed.watcher.close();
    expect(closed.watcher.active).toBe(false);
    writeFileSync(join(root, 'after-close.md'), 'x');

    await vi.waitFor(() => expect(witness.all('added')).toEqual(['after-close.md']), WAIT);
    expect(closed.batches).toEqual([]);
  });

  it('reports the folder disappearing: its files removed while inactive, then onError, then stops', async () => {
    const root = makeRoot({ 'a.md': 'a', 'sub/b.md': 'b' });
    let activeDuringLastBatch: boolean | undefined;
    const h = await watchRoot(root, {
      onChanges: () => {
        activeDuringLastBatch = watcherRef.active;
      },
    });
    const watcherRef = h.watcher;

    rmSync(root, { recursive: true });

    await vi.waitFor(() => expect(h.errors).toHaveLength(1), WAIT);
    expect(h.errors[0]).toContain(root);
    expect(h.errors[0]).toMatch(/no longer exists/);
    expect(h.watcher.message).toBe(h.errors[0]);
    // The last batch came before onError.
    expect(h.all('removed').sort()).toEqual(['a.md', 'sub/b.md']);
    expect(activeDuringLastBatch).toBe(false);
    expect(h.watcher.active).toBe(false);

    // Recreated later: this watcher has stopped (a new one is needed).
    writeFiles(root, { 'c.md': 'c' });
    const witness = await watchRoot(root);
    writeFileSync(join(root, 'd.md'), 'd');
    await vi.waitFor(() => expect(witness.all('added')).toEqual(['d.md']), WAIT);
    expect(h.all('added')).toEqual([]);
  });

  it('notices through its periodic check a folder gone without any event (a link above it re-pointed)', async () => {
    const base = makeRoot({ 'first/watched/a.md': 'a', 'second/other.md': 'o' });
    symlinkSync(join(base, 'first'), join(base, 'link'));
    const root = join(base, 'link', 'watched');
    const h = await watchRoot(root, { rootCheckMs: 200 });

    // The watched folder itself is untouched, so the file system reports nothing about it.
    unlinkSync(join(base, 'link'));
    symlinkSync(join(base, 'second'), join(base, 'link'));

    await vi.waitFor(() => expect(h.watcher.active).toBe(false), WAIT);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatch(/no longer exists/);
  });

  it('refuses a missing folder, a file, an invalid pattern and a second start', async () => {
    const root = makeRoot({ 'file.md': 'x' });
    const onChanges = () => {};
    const missing = await new FolderWatcher(join(root, 'nope'), { onChanges }).start().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KbError);
    expect((missing as KbError).kind).toBe('NotFound');
    const notDir = await new FolderWatcher(join(root, 'file.md'), { onChanges }).start().catch((e: unknown) => e);
    expect((notDir as KbError).kind).toBe('ValidationError');
    expect(() => new FolderWatcher(root, { onChanges, exclude: ['docs/[oops'] })).toThrow(/docs\/\[oops/);

    const w = new FolderWatcher(root, { onChanges });
    started.push(w);
    await w.start();
    await expect(w.start()).rejects.toMatchObject({ kind: 'ValidationError' });
  });

  it('reports a failing onChanges through onError and keeps watching', async () => {
    const root = makeRoot();
    let calls = 0;
    const h = await watchRoot(root, {
      onChanges: () => {
        calls += 1;
        if (calls === 1) throw new Error('database is locked');
      },
    });

    writeFileSync(join(root, 'one.md'), '1');
    await vi.waitFor(() => expect(h.errors).toEqual([expect.stringContaining('database is locked')]), WAIT);
    writeFileSync(join(root, 'two.md'), '2');
    await vi.waitFor(() => expect(h.all('added')).toEqual(['two.md']), WAIT);
    expect(h.watcher.active).toBe(true);
  });
});

describe('describeWatchError', () => {
  const err = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

  it('says which system limit to raise', () => {
    expect(describeWatchError(err('ENOSPC'), '/notes')).toMatch(/\/notes.*max_user_watches/);
    expect(describeWatchError(err('EMFILE'), '/notes')).toMatch(/\/notes.*ulimit -n/);
    expect(describeWatchError(err('EIO'), '/notes')).toBe('Watching /notes failed: EIO: failed');
  });
});
