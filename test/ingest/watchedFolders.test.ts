import { renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES_DIR } from '../../core/config/sourcePaths';
import { createKbService, type KbServiceImpl } from '../../core/service';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

const start = (dataDir: string) => createKbService({ dataDir, resourcesDir: RESOURCES_DIR, env: {}, watchQuietMs: 150 });

/** The library as name → source path, once the queue is idle. */
async function library(service: KbServiceImpl) {
  await service.idle();
  return Object.fromEntries((await service.listDocuments()).map((d) => [d.name, d.sourcePath]));
}

describe('watched folders', { timeout: 120_000 }, () => {
  const cleanups: (() => void)[] = [];
  let service: KbServiceImpl | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
    cleanups.splice(0).forEach((c) => c());
  });

  it('follows new, changed, renamed and deleted files, keeps watching across a restart, and stops when asked', async () => {
    const data = tempDir('qckstrt-watch-data-');
    const docs = tempDir('qckstrt-watch-docs-');
    cleanups.push(data.cleanup, docs.cleanup);
    const root = docs.path;
    writeFiles(root, { 'plants.md': TOPICS['plants.md'], 'node_modules/dep/readme.md': 'ignored dependency' });

    service = await start(data.path);
    await service.ingestFiles({ paths: [root], watch: true });
    expect(await library(service)).toEqual({ 'plants.md': join(root, 'plants.md') });
    expect(await service.listWatchedFolders()).toEqual([expect.objectContaining({ path: root, active: true })]);

    // New file, and one in a new sub-folder; an excluded folder stays ignored.
    writeFiles(root, { 'football.txt': TOPICS['football.txt'], 'sub/cooking.md': TOPICS['cooking.md'], 'node_modules/x.md': 'nope' });
    await expect.poll(() => library(service!), { timeout: 30_000 }).toEqual({
      'plants.md': join(root, 'plants.md'),
      'football.txt': join(root, 'football.txt'),
      'cooking.md': join(root, 'sub', 'cooking.md'),
    });

    // Changed: re-indexed with the new text.
    writeFileSync(join(root, 'football.txt'), TOPICS['taxes.txt']);
    await expect
      .poll(async () => (await service!.search({ query: 'income tax rates and government revenue', k: 1 })).hits[0]?.documentName, { timeout: 30_000 })
      .toBe('football.txt');

    // Renamed: the same document follows the file, nothing is embedded again.
    const before = (await service.listDocuments()).find((d) => d.name === 'plants.md');
    const jobsBefore = (await service.listJobs()).length;
    renameSync(join(root, 'plants.md'), join(root, 'sub', 'leaves.md'));
    await expect.poll(async () => (await library(service!))['leaves.md'], { timeout: 30_000 }).toBe(join(root, 'sub', 'leaves.md'));
    const after = (await service.listDocuments()).find((d) => d.name === 'leaves.md');
    expect(after?.id).toBe(before?.id);
    expect((await service.listJobs()).length).toBe(jobsBefore);
    expect((await library(service))['plants.md']).toBeUndefined();

    // Deleted: gone from the library and from search.
    rmSync(join(root, 'sub', 'cooking.md'));
    await expect.poll(async () => (await library(service!))['cooking.md'], { timeout: 30_000 }).toBeUndefined();
    const hits = await service.search({ query: 'bake bread dough yeast oven', k: 5 });
    expect(hits.hits.some((h) => h.documentName === 'cooking.md')).toBe(false);

    // Changes made while the app is closed are caught up with at the next start.
    await service.close();
    writeFiles(root, { 'taxes.txt': TOPICS['taxes.txt'] });
    rmSync(join(root, 'football.txt'));
    service = await start(data.path);
    await service.whenWatching();
    await expect.poll(() => library(service!), { timeout: 30_000 }).toEqual({
      'leaves.md': join(root, 'sub', 'leaves.md'),
      'taxes.txt': join(root, 'taxes.txt'),
    });
    expect(await service.listWatchedFolders()).toEqual([expect.objectContaining({ path: root, active: true })]);
    // The unchanged file was not queued (nor read) again at start: only taxes.txt was.
    expect((await service.listJobs()).filter((j) => j.fileName === 'leaves.md')).toHaveLength(0);
    expect((await service.listJobs()).filter((j) => j.fileName === 'taxes.txt').map((j) => j.state)).toEqual(['done']);

    // Unwatched: later changes are not followed; the documents stay.
    expect(await service.unwatchFolder({ path: root })).toEqual([]);
    writeFiles(root, { 'late.md': TOPICS['cooking.md'] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(Object.keys(await library(service)).sort()).toEqual(['leaves.md', 'taxes.txt']);
  });

  it('keeps the documents of a watched folder that disappears, and says so', async () => {
    const data = tempDir('qckstrt-watch-data-');
    const parent = tempDir('qckstrt-watch-parent-');
    cleanups.push(data.cleanup, parent.cleanup);
    const root = join(parent.path, 'drive');
    mkdirSync(root);
    writeFiles(root, { 'plants.md': TOPICS['plants.md'] });
    service = await start(data.path);
    await service.ingestFiles({ paths: [root], watch: true });
    expect(Object.keys(await library(service))).toEqual(['plants.md']);
    renameSync(root, join(parent.path, 'unplugged'));
    await expect.poll(async () => (await service!.listWatchedFolders())[0]?.active, { timeout: 30_000 }).toBe(false);
    expect((await service.listWatchedFolders())[0]?.message).toBeTruthy();
    expect(Object.keys(await library(service))).toEqual(['plants.md']);
  });
});

describe('a watched folder added with an empty skip list', { timeout: 120_000 }, () => {
  it('skips nothing when caught up with at the next start either', async () => {
    const data = tempDir('qckstrt-watch-noskip-data-');
    const docs = tempDir('qckstrt-watch-noskip-docs-');
    let service: KbServiceImpl | undefined;
    try {
      writeFiles(docs.path, { 'plants.md': TOPICS['plants.md'], 'node_modules/dep/readme.md': TOPICS['cooking.md'] });
      service = await start(data.path);
      await service.updateSettings({ ingest: { exclude: [] } });
      await service.ingestFiles({ paths: [docs.path], watch: true });
      expect(Object.keys(await library(service)).sort()).toEqual(['plants.md', 'readme.md']);
      await service.close();
      // Added while the app was closed, inside what the default list would skip.
      writeFiles(docs.path, { 'node_modules/dep/notes.md': TOPICS['football.txt'] });
      service = await start(data.path);
      await expect.poll(async () => Object.keys(await library(service!)).sort(), { timeout: 30_000 }).toEqual(['notes.md', 'plants.md', 'readme.md']);
    } finally {
      await service?.close();
      data.cleanup();
      docs.cleanup();
    }
  });
});
