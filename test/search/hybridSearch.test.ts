import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../core/api/search';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/** Household notes, a manual with an invented error code, and a long document that matches often. */
const NOTES = {
  ...TOPICS,
  'kitchen/sourdough.md': '# Sourdough starter\n\nFeed the **starter** with flour and water every day until it bubbles. Keep it in a jar on the counter.\n',
  'kitchen/groceries.txt': 'Milk, eggs, butter, apples, rice and coffee for the week.\n',
  'garden/roses.md': '# Roses\n\nPrune roses in late winter. Water them deeply once a week and feed them in spring.\n',
  'manuals/heater.md':
    '# Heater manual\n\n## Error codes\n\nIf the display shows QX-4471 the pressure valve is blocked: turn the heater off and call service.\n',
  'people.json': JSON.stringify({ friends: [{ name: 'Ada Lovelace', city: 'London' }] }),
  'long/bread-book.md': `# Bread book\n\n${Array.from({ length: 12 }, (_, i) => `## Chapter ${i + 1}\n\nBread dough needs flour, water, salt and time; chapter ${i + 1} bakes another loaf.\n`).join('\n')}`,
};

describe('hybrid search through the service', () => {
  let t: TestService;
  const files = tempDir();
  const search = (query: string, over: Partial<Parameters<TestService['service']['search']>[0]> = {}): Promise<SearchResponse> =>
    t.service.search({ query, k: 10, ...over });
  const names = (r: SearchResponse) => r.hits.map((h) => h.documentName);

  beforeAll(async () => {
    t = await startTestService();
    const jobs = await indexAndWait(t.service, writeFiles(files.path, NOTES));
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
  });
  afterAll(async () => {
    await t.dispose();
    files.cleanup();
  });

  it('returns documents, each once, with up to three passages, best first', async () => {
    const r = await search('bread flour water');
    expect(r.mode).toBe('hybrid');
    expect(new Set(names(r)).size).toBe(r.hits.length);
    const book = r.hits.find((h) => h.documentName === 'bread-book.md');
    expect(book?.passages.length).toBe(3);
    expect(book?.passages[0]?.chunkId).toBe(book?.chunkId);
    expect((await search('bread', { k: 2 })).hits).toHaveLength(2);
    for (const h of r.hits) expect(h.documentScores.fused).toBeGreaterThan(0);
  });

  it('finds an exact identifier the word-vector model cannot know: hybrid and keyword, not vector', async () => {
    expect(names(await search('QX-4471'))[0]).toBe('heater.md');
    expect(names(await search('QX-4471', { mode: 'keyword' }))).toEqual(['heater.md']);
    expect(names(await search('QX-4471', { mode: 'vector' }))[0]).not.toBe('heater.md');
    const hit = (await search('what does QX-4471 mean')).hits[0];
    expect(hit?.location?.headingPath).toEqual(['Heater manual', 'Error codes']);
    expect(hit?.snippet.slice(...(hit.highlights[0] as [number, number]))).toBe('QX-4471');
  });

  it('narrows by file type, folder and date added, always within the library', async () => {
    expect(names(await search('bread', { filters: { types: ['txt'] } })).every((n) => n.endsWith('.txt'))).toBe(true);
    expect(names(await search('water', { filters: { types: ['md'] } })).every((n) => n.endsWith('.md'))).toBe(true);
    expect(names(await search('water', { filters: { folder: join(files.path, 'garden') } }))).toEqual(['roses.md']);
    expect((await search('water', { filters: { since: '2999-01-01' } })).hits).toEqual([]);
    expect((await search('water', { filters: { since: '2000-01-01' } })).hits.length).toBeGreaterThan(1);
    expect((await search('water', { mode: 'vector', filters: { folder: join(files.path, 'garden') } })).hits.map((h) => h.documentName)).toEqual(['roses.md']);
  });

  it('honours quoted phrases in every mode', async () => {
    expect(names(await search('"pressure valve"'))).toEqual(['heater.md']);
    expect(names(await search('"pressure valve"', { mode: 'vector' }))).toEqual(['heater.md']);
    expect((await search('"valve pressure"')).hits).toEqual([]);
  });

  it('corrects words the library does not have', async () => {
    const r = await search('sourdugh starer');
    expect(r.correctedQuery).toBe('sourdough starter');
    expect(names(r)[0]).toBe('sourdough.md');
    expect((await search('sourdough starter')).correctedQuery).toBeUndefined();
  });

  it('says so when nothing matches well, and scores mean the same from query to query', async () => {
    const off = await search('quantum chromodynamics lattice gauge');
    expect(off.weak).toBe(true);
    expect(off.hits.every((h) => h.match === 'weak' && h.score < 0.4)).toBe(true);
    const on = await search('sourdough starter');
    expect(on.weak).toBe(false);
    expect(on.hits[0]).toMatchObject({ documentName: 'sourdough.md', match: 'strong' });
    expect(on.hits[0]!.score).toBeGreaterThanOrEqual(0.7);
  });

  it('shows clean snippets: no Markdown markers or JSON key paths', async () => {
    const starter = (await search('feed the starter')).hits[0];
    expect(starter?.snippet).not.toMatch(/[#*]/);
    expect(starter?.snippet).toContain('Feed the starter with flour');
    const ada = (await search('Ada Lovelace')).hits[0];
    expect(ada?.documentName).toBe('people.json');
    expect(ada?.snippet).toContain('name: Ada Lovelace');
    expect(ada?.snippet).not.toContain('friends[0]');
  });

  it('reads a passage in context with the words marked', async () => {
    const hit = (await search('pressure valve')).hits[0]!;
    const doc = await t.service.readDocument({ id: hit.documentId, charStart: hit.charStart, charEnd: hit.charEnd, query: 'pressure valve' });
    expect(doc.text.slice(...(doc.focus as [number, number]))).toContain('QX-4471');
    expect(doc.highlights.map(([s, e]) => doc.text.slice(s, e))).toEqual(['pressure', 'valve']);
    expect(doc.location?.headingPath).toEqual(['Heater manual', 'Error codes']);
    await expect(t.service.readDocument({ id: 'no-such-doc' })).rejects.toMatchObject({ kind: 'NotFound' });
  });

  it('takes the fusion weights from settings', async () => {
    await t.service.updateSettings({ search: { vectorWeight: 0 } });
    const hybrid = await search('water flour');
    expect(names(hybrid)).toEqual(names(await search('water flour', { mode: 'keyword' })));
    expect(hybrid.hits[0]?.documentScores.vector).toBeDefined();
    await t.service.updateSettings({ search: { vectorWeight: 5, keywordWeight: 0 } });
    expect(names(await search('water flour'))).toEqual(names(await search('water flour', { mode: 'vector' })));
    // null puts a field back to the model's default.
    await t.service.updateSettings({ search: { vectorWeight: null, keywordWeight: null } });
    expect((await t.service.getSettings()).search).toEqual({ vectorWeight: null, keywordWeight: null });
  });

  it('caches query embeddings, so a repeated search skips the model', async () => {
    const embedder = (t.service as unknown as { embedder: { embedQuery(q: string): Promise<Float32Array> } }).embedder;
    const calls: string[] = [];
    const original = embedder.embedQuery.bind(embedder);
    embedder.embedQuery = async (q) => {
      calls.push(q);
      return original(q);
    };
    await search('roses in winter');
    await search('roses in winter');
    expect(calls).toEqual(['roses in winter']);
    embedder.embedQuery = original;
  });
});

describe('a library indexed before the keyword index existed', () => {
  it('is back-filled at start, with progress, and then found by keywords', async () => {
    const files = tempDir();
    const data = tempDir();
    const first = await startTestService({}, data.path);
    await indexAndWait(first.service, writeFiles(files.path, TOPICS));
    await first.service.close();
    // What an older version left: rows and vectors, no keyword entries.
    const db = new Database(join(data.path, 'kb.sqlite'));
    db.exec('DELETE FROM keyword_chunks; DELETE FROM keyword_documents; UPDATE documents SET keyword_version = 0;');
    db.close();

    const again = await startTestService({}, data.path);
    const progress: string[] = [];
    again.service.on('ingestProgress', (p) => progress.push(`${p.fileName}:${p.state}`));
    await again.service.idle();
    const builds = (await again.service.listJobs()).filter((j) => j.note === 'building its keyword index entries');
    expect(builds.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(progress).toContain('football.txt:done');
    expect((await again.service.search({ query: 'championship', mode: 'keyword' })).hits[0]?.documentName).toBe('football.txt');
    // A clean start does nothing more.
    await again.service.close();
    const third = await startTestService({}, data.path);
    await third.service.idle();
    expect((await third.service.listJobs()).filter((j) => j.note === 'building its keyword index entries')).toHaveLength(4);
    await third.dispose();
    files.cleanup();
    data.cleanup();
  });
});
