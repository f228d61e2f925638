import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexStatus } from '../../core/api/types';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { DB_FILE } from '../../core/service/providers';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startFakeOllama, type FakeOllama } from '../services/fakeOllama';

const tables = (dataDir: string) => {
  const db = openSqlite(`${dataDir}/${DB_FILE}`);
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'vec_chunks%'").all() as { name: string }[]).map((r) => r.name);
  db.close();
  return names;
};

describe('changing the embedding model re-indexes the library in the background', () => {
  let ollama: FakeOllama;
  const files = tempDir();
  beforeAll(async () => {
    ollama = await startFakeOllama();
    // Slow enough that the re-index is still running when the test searches meanwhile.
    ollama.delayMs = 150;
  });
  afterAll(async () => {
    await ollama?.dispose();
    files.cleanup();
  });

  it('keeps answering from the old index, then switches model and index together and drops the old one', async () => {
    const t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    expect(tables(t.dataDir)).toEqual(['vec_chunks']);
    const progress: ReindexStatus[] = [];
    const finished = new Promise<void>((resolve) =>
      t.service.on('reindexProgress', (p) => {
        progress.push(p);
        if (p.state !== 'running') resolve();
      }),
    );

    await t.service.updateSettings({ embedding: { model: 'ollama/nomic-embed-text', ollamaUrl: ollama.url } });
    // While the new index builds, search answers from the old one with the old model.
    const during = await t.service.search({ query: 'who won the championship game', k: 1 });
    expect(during.model).toBe('qckstrt/glove-sg-100d');
    expect(during.hits[0]?.documentName).toBe('football.txt');
    await expect(t.service.updateSettings({ ingest: { chunkSize: 900 } })).rejects.toMatchObject({ kind: 'ValidationError' });

    await finished;
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 4, total: 4, model: 'ollama/nomic-embed-text' });
    const after = await t.service.search({ query: 'anything', k: 4 });
    expect(after.model).toBe('ollama/nomic-embed-text');
    expect(after.hits).toHaveLength(4);
    const status = await t.service.getStatus();
    expect(status.embedding).toMatchObject({ modelId: 'ollama/nomic-embed-text', dimensions: 768 });
    expect(status).toMatchObject({ chunks: 4, reindex: { state: 'done' } });
    const settings = await t.service.getSettings();
    expect(settings.embedding.model).toBe('ollama/nomic-embed-text');
    expect(settings.vector.generation).toMatch(/^[a-f0-9]{12}$/);
    // The old generation is gone; the new one holds the library.
    expect(tables(t.dataDir)).toEqual([`vec_chunks_${settings.vector.generation}`]);
    // The keyword entries follow the new model's chunks, in the background.
    await t.service.idle();
    const keywords = (await t.service.listJobs()).filter((j) => j.note === 'building its keyword index entries');
    expect(keywords.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
    expect((await t.service.search({ query: 'championship', k: 4, mode: 'keyword' })).hits[0]?.documentName).toBe('football.txt');
    await t.service.close();

    // The switch persists.
    const again = await startTestService({}, t.dataDir);
    expect((await again.service.search({ query: 'x', k: 1 })).model).toBe('ollama/nomic-embed-text');
    await again.dispose();
  });

  it('refuses the switch, before saving anything, when Ollama is not running or lacks the model', async () => {
    const t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, { 'one.md': TOPICS['plants.md'] }));
    const progress: ReindexStatus[] = [];
    t.service.on('reindexProgress', (p) => progress.push(p));
    await expect(t.service.updateSettings({ embedding: { model: 'ollama/nomic-embed-text', ollamaUrl: 'http://127.0.0.1:9' } })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringMatching(/^Not switched to ollama\/nomic-embed-text\. Ollama is not running at http:\/\/127\.0\.0\.1:9: start it with `ollama serve`/),
    });
    // Running, but the model was never pulled.
    await expect(t.service.updateSettings({ embedding: { model: 'ollama/mxbai-embed-large', ollamaUrl: ollama.url } })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringContaining('`ollama pull mxbai-embed-large`'),
    });
    const settings = await t.service.getSettings();
    expect(settings.embedding).toMatchObject({ model: 'qckstrt/glove-sg-100d' });
    expect(settings.embedding.ollamaUrl).not.toBe('http://127.0.0.1:9');
    expect(progress).toEqual([]);
    expect((await t.service.getStatus()).reindex).toBeUndefined();
    expect((await t.service.search({ query: 'sunlight leaves', k: 1 })).hits[0]?.documentName).toBe('one.md');
    await t.dispose();
  });

  it('leaves everything as it was when the new model fails while re-indexing', async () => {
    // Lists the model (so the switch is accepted) but has no /api/embed: the re-index fails.
    const old = await startFakeOllama({ withoutEmbed: true });
    const t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, { 'one.md': TOPICS['plants.md'] }));
    const failed = new Promise<ReindexStatus>((resolve) => t.service.on('reindexProgress', (p) => p.state === 'failed' && resolve(p)));
    await t.service.updateSettings({ embedding: { model: 'ollama/nomic-embed-text', ollamaUrl: old.url } });
    expect((await failed).message).toMatch(/search still uses qckstrt\/glove-sg-100d/);
    await old.dispose();
    expect((await t.service.getSettings()).embedding.model).toBe('qckstrt/glove-sg-100d');
    expect((await t.service.search({ query: 'sunlight leaves', k: 1 })).hits[0]?.documentName).toBe('one.md');
    expect(tables(t.dataDir)).toEqual(['vec_chunks']);
    // Indexing still works afterwards.
    const [job] = await indexAndWait(t.service, writeFiles(files.path, { 'two.md': TOPICS['taxes.txt'] }));
    expect(job?.state).toBe('done');
    await t.dispose();
  });
});
