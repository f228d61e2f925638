import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../core/api/types';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { DB_FILE } from '../../core/service/providers';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

describe('KbService on the embedded default (real SQLite, sqlite-vec and the bundled model)', () => {
  const files = tempDir();
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t.dispose();
    files.cleanup();
  });

  it('indexes a folder and ranks the right document first for each topic', async () => {
    const root = join(files.path, 'corpus');
    writeFiles(root, TOPICS);
    const events: JobProgress[] = [];
    const off = t.service.on('ingestProgress', (p) => events.push(p));
    const jobs = await indexAndWait(t.service, [root]);
    off();
    expect(jobs.map((j) => [j.fileName, j.state])).toEqual([
      ['cooking.md', 'done'],
      ['football.txt', 'done'],
      ['plants.md', 'done'],
      ['taxes.txt', 'done'],
    ]);
    // Progress went through every state in order for a file.
    const plantStates = events.filter((e) => e.fileName === 'plants.md').map((e) => e.state);
    expect([...new Set(plantStates)]).toEqual(['queued', 'parsing', 'embedding', 'storing', 'done']);

    const expectations: [string, string][] = [
      ['how do green plants turn sunlight into food', 'plants.md'],
      ['who won the championship game', 'football.txt'],
      ['paying money to the government on what you earn', 'taxes.txt'],
      ['recipe for making a loaf in the oven', 'cooking.md'],
    ];
    for (const [query, expected] of expectations) {
      const res = await t.service.search({ query, k: 4 });
      expect(res.hits[0]?.documentName, query).toBe(expected);
      expect(res.hits[0]!.score).toBeGreaterThan(res.hits[1]!.score);
      expect(res.model).toBe('qckstrt/glove-sg-100d');
    }
    const status = await t.service.getStatus();
    expect(status).toMatchObject({ documents: 4, chunks: 4, embedding: { ready: true, dimensions: 100 } });
  });

  it('skips an unchanged file and replaces the chunks of a changed one', async () => {
    const root = join(files.path, 'corpus');
    const [again] = await indexAndWait(t.service, [join(root, 'plants.md')]);
    expect(again).toMatchObject({ state: 'skipped', note: expect.stringContaining('unchanged') });

    writeFileSync(join(root, 'football.txt'), 'The orchestra played a quiet symphony for the violin soloist.');
    const [changed] = await indexAndWait(t.service, [join(root, 'football.txt')]);
    expect(changed?.state).toBe('done');
    const docs = await t.service.listDocuments();
    expect(docs.filter((d) => d.name === 'football.txt')).toHaveLength(1);
    const res = await t.service.search({ query: 'violin music concert', k: 10 });
    expect(res.hits[0]?.documentName).toBe('football.txt');
    expect(res.hits.some((h) => h.snippet.includes('championship'))).toBe(false);
  });

  it('deletes a document together with its vectors', async () => {
    const doc = (await t.service.listDocuments()).find((d) => d.name === 'cooking.md')!;
    const before = (await t.service.getStatus()).chunks;
    expect(await t.service.deleteDocument({ id: doc.id })).toEqual({ id: doc.id, deleted: true });
    expect((await t.service.getStatus()).chunks).toBe(before - doc.chunkCount);
    const res = await t.service.search({ query: 'bake bread dough oven', k: 10 });
    expect(res.hits.some((h) => h.documentId === doc.id)).toBe(false);
    await expect(t.service.deleteDocument({ id: doc.id })).rejects.toMatchObject({ kind: 'NotFound' });
  });

  it('fails bad files alone, each with a specific error kind, and finishes the rest of the batch', async () => {
    const root = join(files.path, 'bad');
    const paths = writeFiles(root, {
      'empty.txt': '',
      'binary.txt': new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 1]),
      'photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'good.md': '# Astronomy\n\nTelescopes reveal distant galaxies and stars.',
      'locked.txt': 'secret',
    });
    chmodSync(join(root, 'locked.txt'), 0o000);
    const jobs = await indexAndWait(t.service, [...paths, join(root, 'missing.txt')]);
    const byName = Object.fromEntries(jobs.map((j) => [j.fileName, j]));
    expect(byName['good.md']?.state).toBe('done');
    expect(byName['empty.txt']).toMatchObject({ state: 'failed', error: { kind: 'UnsupportedFile', message: expect.stringContaining('empty') } });
    expect(byName['binary.txt']).toMatchObject({ state: 'failed', error: { kind: 'UnsupportedFile' } });
    expect(byName['photo.png']).toMatchObject({ state: 'failed', error: { kind: 'UnsupportedFile', message: expect.stringContaining('.md') } });
    expect(byName['missing.txt']).toMatchObject({ state: 'failed', error: { kind: 'NotFound' } });
    // root can read a 000 file; anyone else gets a clear failure.
    expect(['done', 'failed']).toContain(byName['locked.txt']?.state);
  });

  it('refuses files over the size limit with FileTooLarge', async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 1 } });
    const [big] = writeFiles(join(files.path, 'big'), { 'big.txt': 'word '.repeat(300_000) });
    const [job] = await indexAndWait(t.service, [big!]);
    expect(job).toMatchObject({ state: 'failed', error: { kind: 'FileTooLarge', message: expect.stringMatching(/1\.4 MB.*limit is 1 MB/) } });
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 50 } });
  });

  it('indexes uploaded bytes under their file name', async () => {
    const accepted = await t.service.ingestUpload({ name: 'notes/upload.md', bytes: new TextEncoder().encode('Volcanoes erupt lava and ash.') });
    expect(accepted.jobs[0]).toMatchObject({ fileName: 'upload.md', state: 'queued' });
    await t.service.idle();
    const res = await t.service.search({ query: 'lava eruption', k: 1 });
    expect(res.hits[0]?.documentName).toBe('upload.md');
  });

  it('refuses to switch to a vector server that is not there, and keeps the settings', async () => {
    const patch = { vector: { provider: 'chromadb' as const, chromaUrl: 'http://127.0.0.1:9' } };
    // A store move is never a plain settings update: it needs a plan.
    await expect(t.service.updateSettings(patch)).rejects.toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('applyProviderChange') });
    const plan = await t.service.planProviderChange(patch);
    expect(plan).toMatchObject({ changesStores: true, moves: { relational: false, vector: true }, strategies: [], target: null });
    expect(plan.blockers[0]).toContain('127.0.0.1:9');
    await expect(t.service.applyProviderChange({ patch, strategy: 'copy' })).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('Not switched') });
    expect((await t.service.getSettings()).vector.provider).toBe('embedded');
  });

  it('lists the models to choose from, marking the active and installed ones', async () => {
    const models = await t.service.listModels();
    expect(models.find((m) => m.active)).toMatchObject({ id: 'qckstrt/glove-sg-100d', installed: true, dimensions: 100 });
    expect(models.find((m) => m.id === 'Xenova/all-MiniLM-L6-v2')).toMatchObject({ installed: false, active: false, dimensions: 384, sizeMb: 23 });
    expect(models.find((m) => m.id === 'ollama/nomic-embed-text')).toMatchObject({ runtime: 'ollama', dimensions: 768 });
  });
});

describe('KbService across a restart', () => {
  it('resumes jobs that were queued when the app stopped', async () => {
    const files = tempDir();
    const [a, b] = writeFiles(files.path, { 'a.md': TOPICS['plants.md'], 'b.txt': TOPICS['taxes.txt'] });
    const first = await startTestService();
    // Quit right after the drop: at most the job in hand finishes, the rest stay in the database.
    await first.service.ingestFiles({ paths: [a!, b!] });
    await first.service.close();
    const second = await startTestService({}, first.dataDir);
    await second.service.idle();
    const jobs = await second.service.listJobs();
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    expect((await second.service.listDocuments()).map((d) => d.name).sort()).toEqual(['a.md', 'b.txt']);
    expect((await second.service.getStatus()).chunks).toBe(2);
    await second.dispose();
    files.cleanup();
  });

  it('reports a missing model as ModelUnavailable with what to do, while listing still works', async () => {
    const t = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' });
    await expect(t.service.search({ query: 'x', k: 1 })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringContaining('Allow downloads in Settings'),
    });
    expect(await t.service.listDocuments()).toEqual([]);
    expect((await t.service.getStatus()).embedding.ready).toBe(false);
    await t.dispose();
  });

  it('deletes documents while the model cannot load; their vectors go once a model loads', async () => {
    const data = tempDir();
    const docs = tempDir();
    try {
      const first = await startTestService({}, data.path);
      await indexAndWait(first.service, writeFiles(docs.path, { 'plants.md': TOPICS['plants.md'], 'football.txt': TOPICS['football.txt'] }));
      await first.service.close();

      const broken = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' }, data.path);
      await broken.service.modelReady();
      const plants = (await broken.service.listDocuments()).find((d) => d.name === 'plants.md');
      expect(await broken.service.deleteDocument({ id: plants!.id })).toEqual({ id: plants!.id, deleted: true });
      expect((await broken.service.listDocuments()).map((d) => d.name)).toEqual(['football.txt']);
      await broken.service.close();

      const fixed = await startTestService({}, data.path);
      await fixed.service.idle();
      const football = (await fixed.service.listDocuments())[0];
      expect((await fixed.service.getStatus()).chunks).toBe(football?.chunkCount);
      const res = await fixed.service.search({ query: 'how do green plants turn sunlight into food', k: 5 });
      expect(res.hits.map((h) => h.documentName)).toEqual(res.hits.map(() => 'football.txt'));
      await fixed.service.close();
    } finally {
      data.cleanup();
      docs.cleanup();
    }
  });

  it('refuses VECTOR_DB_DIMENSIONS that disagrees with the model', async () => {
    const t = await startTestService({ VECTOR_DB_DIMENSIONS: '768' });
    await expect(t.service.search({ query: 'x', k: 1 })).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/768.*100/),
    });
    await t.dispose();
  });
});

describe('chunks and the model token limit', () => {
  it('never hands the model a chunk longer than its token limit, whatever the chunk size setting', async () => {
    const files = tempDir();
    const t = await startTestService();
    await t.service.updateSettings({ ingest: { chunkSize: 8000, chunkOverlap: 0 } });
    const words = ['river', 'mountain', 'garden', 'window', 'music', 'engine', 'forest', 'letter', 'market', 'doctor'];
    const text = Array.from({ length: 3000 }, (_, i) => words[i % words.length]).join(' ');
    const [job] = await indexAndWait(t.service, writeFiles(files.path, { 'long.txt': text }));
    expect(job?.state).toBe('done');
    const db = openSqlite(join(t.dataDir, DB_FILE));
    const contents = (db.prepare('SELECT content FROM vec_chunks').all() as { content: string }[]).map((r) => r.content);
    db.close();
    // One token per word for these words, plus [CLS] and [SEP]; the bundled model's limit is 512.
    expect(Math.max(...contents.map((c) => c.split(' ').length + 2))).toBeLessThanOrEqual(512);
    expect(contents.join(' ').split(' ').length).toBe(3000);
    await t.dispose();
    files.cleanup();
  });
});
