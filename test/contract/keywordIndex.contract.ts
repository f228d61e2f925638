import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord, KeywordChunk, KeywordSearch, RelationalStore } from '../../core/relational/types';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { DEFAULT_KEYWORD_WEIGHTS } from '../../core/search/keywordText';

const ALICE = 'kw-alice';
const BOB = 'kw-bob';

const doc = (name: string, over: Partial<DocumentRecord> = {}): DocumentRecord => {
  const id = randomUUID();
  return {
    id,
    userId: ALICE,
    name,
    sourceKey: `/home/alice/kw/${id}/${name}`,
    sourcePath: `/home/alice/kw/${id}/${name}`,
    storageKey: 'ab'.repeat(32),
    contentHash: 'cd'.repeat(32),
    mimeType: 'text/markdown',
    size: 100,
    chunkCount: 1,
    uploadedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
};

/** A document's text cut into chunks at blank lines, with offsets, as ingestion would store them. */
function chunksOf(text: string, headingPath?: string[]): KeywordChunk[] {
  const out: KeywordChunk[] = [];
  let offset = 0;
  for (const part of text.split('\n\n')) {
    out.push({
      chunkIndex: out.length,
      content: part,
      charStart: offset,
      charEnd: offset + part.length,
      ...(headingPath ? { location: { headingPath } } : {}),
    });
    offset += part.length + 2;
  }
  return out;
}

const search = (query: string, over: Partial<KeywordSearch> = {}): KeywordSearch => ({
  query: parseKeywordQuery(query),
  limit: 10,
  weights: DEFAULT_KEYWORD_WEIGHTS,
  ...over,
});

/**
 * One contract suite for the keyword index every RelationalStore keeps, on its real backend:
 * identifiers stay findable, everyday words are stemmed, names and headings count more than body
 * text, phrases are honoured, entries follow their document, and every read stays in its user.
 */
export function keywordIndexContract(name: string, open: () => Promise<RelationalStore>) {
  describe(`Keyword index contract: ${name}`, () => {
    let store: RelationalStore;
    const docs: Record<string, DocumentRecord> = {};
    const texts: Record<string, string> = {
      git: 'Pushing safely\n\nUse git push --force-with-lease to overwrite a remote branch only when nobody else pushed to it.',
      config: 'Settings file\n\nThe key retry_max_timeout sets how long to wait. Codes like E1234 mean the registry refused.',
      streams: 'Reading files\n\nCall fs.readFile for small files and createReadStream for large ones.',
      bread: 'Sourdough starter\n\nFeed the starter with flour and water every day. Bread flour gives a chewy crumb.',
      indexing: 'How the library indexes documents: it splits them and stores the pieces for searching.',
      flourish: 'A flourish of trumpets. The flour mill was closed, and bread came from the town.',
    };

    beforeAll(async () => {
      store = await open();
      await store.connect();
      await store.ensureUser(ALICE, 'kw-alice@example.test');
      await store.ensureUser(BOB, 'kw-bob@example.test');
      const names: Record<string, string> = {
        git: 'git-push.md',
        config: 'settings.txt',
        streams: 'node-fs.md',
        bread: 'baking.md',
        indexing: 'library.txt',
        flourish: 'music.txt',
      };
      for (const [key, text] of Object.entries(texts)) {
        const d = doc(names[key] as string, { chunkCount: chunksOf(text).length });
        docs[key] = d;
        await store.saveDocument(d, text, undefined, chunksOf(text));
      }
    });
    afterAll(async () => {
      await store?.close();
    });

    const top = async (query: string, over: Partial<KeywordSearch> = {}) =>
      (await store.searchKeywordDocuments(ALICE, search(query, over))).map((m) => m.documentId);

    it('finds identifiers as written: flags, snake_case, dotted and camelCase names, codes', async () => {
      expect((await top('--force-with-lease'))[0]).toBe(docs.git?.id);
      expect((await top('retry_max_timeout'))[0]).toBe(docs.config?.id);
      expect((await top('E1234'))[0]).toBe(docs.config?.id);
      expect((await top('fs.readFile'))[0]).toBe(docs.streams?.id);
      expect((await top('createReadStream'))[0]).toBe(docs.streams?.id);
      // A camelCase name is found by its words too.
      expect((await top('create read stream'))[0]).toBe(docs.streams?.id);
    });

    it('stems everyday words and ranks with BM25 (higher is better)', async () => {
      const hits = await store.searchKeywordDocuments(ALICE, search('indexing searches'));
      expect(hits[0]?.documentId).toBe(docs.indexing?.id);
      expect(hits[0]?.score).toBeGreaterThan(0);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    });

    it('weights a document name and headings above body text', async () => {
      const titled = doc('kombucha.md');
      const mention = doc('drinks.md');
      await store.saveDocument(titled, 'Notes on fermenting tea at home over a week or two.', undefined, chunksOf('Notes on fermenting tea at home over a week or two.'));
      const body = 'Many drinks: water, juice, kombucha, coffee and tea at home over a week or two.';
      await store.saveDocument(mention, body, undefined, chunksOf(body));
      expect((await top('kombucha')).slice(0, 2)).toEqual([titled.id, mention.id]);
      // A passage is found by its document's name too, above one that merely mentions the word.
      const passages = await store.searchKeywordChunks(ALICE, search('kombucha'));
      expect(passages.slice(0, 2).map((c) => c.documentId)).toEqual([titled.id, mention.id]);

      const headed = doc('ferments.md');
      const text = '# Miso\n\nSoybeans, salt and koji rest for months before they are eaten.';
      await store.saveDocument(headed, text, { headings: [{ level: 1, title: 'Miso', charStart: 0, charEnd: 6 }] }, chunksOf(text, ['Miso']));
      const plain = doc('pantry.md');
      const other = 'Jars of rice, beans, miso, salt and koji rest in the pantry for months.';
      await store.saveDocument(plain, other, undefined, chunksOf(other));
      expect((await top('miso')).slice(0, 2)).toEqual([headed.id, plain.id]);
    });

    it('honours quoted phrases', async () => {
      expect(await top('"bread flour"')).toEqual([docs.bread?.id]);
      expect(new Set(await top('bread flour'))).toEqual(new Set([docs.bread?.id, docs.flourish?.id]));
    });

    it('treats what users type as words, never as query syntax', async () => {
      for (const q of ['"unbalanced', 'a* OR NEAR(b c)', 'col:umn ^start', '-(x) AND "', '"" AND', "it's O'Brien's", '%_\\', 'SELECT * FROM documents;']) {
        await expect(store.searchKeywordDocuments(ALICE, search(q))).resolves.toBeInstanceOf(Array);
        await expect(store.searchKeywordChunks(ALICE, search(q))).resolves.toBeInstanceOf(Array);
      }
    });

    it('keeps every user to their own documents', async () => {
      const secret = doc('secret.md', { userId: BOB });
      await store.saveDocument(secret, 'xylophone recital', undefined, chunksOf('xylophone recital'));
      expect(await top('xylophone')).toEqual([]);
      expect((await store.searchKeywordDocuments(BOB, search('xylophone'))).map((m) => m.documentId)).toEqual([secret.id]);
      expect(await store.searchKeywordChunks(ALICE, search('xylophone'))).toEqual([]);
      expect(await store.keywordFrequencies(ALICE, ['xylophone'])).toEqual([0]);
      expect(await store.keywordFrequencies(BOB, ['xylophone'])).toEqual([1]);
      expect(await store.countKeywordChunks(BOB)).toBe(1);
      expect(await store.countKeywordChunks('kw-nobody')).toBe(0);
      // Asked again after each write (a store may keep the count between writes).
      const more = doc('more.md', { userId: BOB });
      await store.saveDocument(more, 'marimba\n\nrecital', undefined, chunksOf('marimba\n\nrecital'));
      const withMore = await store.countKeywordChunks(BOB);
      expect(withMore).toBeGreaterThan(1);
      await store.deleteDocument(more.id);
      expect(await store.countKeywordChunks(BOB)).toBe(1);
    });

    it('ranks chunks, within chosen documents, with their text and location', async () => {
      const guide = doc('guide.md');
      const text = 'Install the tool first.\n\nThen configure the proxy setting for the registry.\n\nFinally run it.';
      await store.saveDocument(guide, text, undefined, chunksOf(text, ['Guide', 'Setup']));
      const chunks = await store.searchKeywordChunks(ALICE, search('proxy registry', { documentIds: [guide.id] }));
      expect(chunks[0]).toMatchObject({
        documentId: guide.id,
        chunkIndex: 1,
        content: 'Then configure the proxy setting for the registry.',
        charStart: 25,
        charEnd: 75,
        location: { headingPath: ['Guide', 'Setup'] },
      });
      expect(chunks.every((c) => c.documentId === guide.id)).toBe(true);
      expect(await store.searchKeywordChunks(ALICE, search('proxy', { documentIds: [] }))).toEqual([]);
      // Documents can be narrowed the same way.
      expect(await top('flour', { documentIds: [docs.flourish?.id as string] })).toEqual([docs.flourish?.id]);
      expect(await top('flour', { documentIds: [] })).toEqual([]);
      expect((await store.searchKeywordChunks(ALICE, search('--force-with-lease')))[0]?.documentId).toBe(docs.git?.id);
    });

    it('filters by file type, folder and date added', async () => {
      const old = doc('report.pdf', { sourcePath: '/srv/share/reports/report.pdf', sourceKey: '/srv/share/reports/report.pdf', uploadedAt: '2025-06-01T00:00:00.000Z' });
      const recent = doc('REPORT.MD', { sourcePath: '/srv/share/reports2/r.md', sourceKey: '/srv/share/reports2/r.md', uploadedAt: '2026-06-01T00:00:00.000Z' });
      const upload = doc('quarterly.md', { sourcePath: null, sourceKey: 'upload:quarterly.md', uploadedAt: '2026-07-01T00:00:00.000Z' });
      for (const d of [old, recent, upload]) await store.saveDocument(d, 'quarterly figures', undefined, chunksOf('quarterly figures'));
      const ids = async (filter: KeywordSearch['filter']) => new Set(await top('quarterly', { ...(filter ? { filter } : {}) }));
      expect(await ids(undefined)).toEqual(new Set([old.id, recent.id, upload.id]));
      expect(await ids({ extensions: ['md'] })).toEqual(new Set([recent.id, upload.id]));
      expect(await ids({ extensions: ['pdf', 'txt'] })).toEqual(new Set([old.id]));
      expect(await ids({ folder: '/srv/share/reports' })).toEqual(new Set([old.id]));
      expect(await ids({ folder: '/srv/share/reports/' })).toEqual(new Set([old.id]));
      expect(await ids({ since: '2026-01-01T00:00:00.000Z' })).toEqual(new Set([recent.id, upload.id]));
      expect(await ids({ extensions: ['md'], since: '2026-06-15T00:00:00.000Z' })).toEqual(new Set([upload.id]));
      expect(new Set(await store.filterDocuments(ALICE, { folder: '/srv/share' }))).toEqual(new Set([old.id, recent.id]));
      const chunks = await store.searchKeywordChunks(ALICE, search('quarterly', { filter: { extensions: ['pdf'] } }));
      expect(chunks.map((c) => c.documentId)).toEqual([old.id]);
    });

    it('follows its document: replaced with new chunks, renamed, deleted', async () => {
      const d = doc('draft.md');
      await store.saveDocument(d, 'walrus', undefined, chunksOf('walrus'));
      expect(await top('walrus')).toEqual([d.id]);
      await store.saveDocument({ ...d, contentHash: 'ee'.repeat(32) }, 'narwhal', undefined, chunksOf('narwhal'));
      expect(await top('walrus')).toEqual([]);
      expect(await top('narwhal')).toEqual([d.id]);
      expect((await store.keywordChunkCounts()).get(d.id)).toBe(1);
      // Renamed (same text, no new chunks): found by its new name, no longer by its old one.
      await store.saveDocument({ ...d, name: 'pinniped-notes.md' }, 'narwhal');
      expect(await top('pinniped')).toEqual([d.id]);
      expect((await store.searchKeywordChunks(ALICE, search('pinniped'))).map((c) => c.documentId)).toEqual([d.id]);
      expect(await store.searchKeywordChunks(ALICE, search('draft'))).toEqual([]);
      expect(await top('draft')).not.toContain(d.id);
      expect((await store.keywordChunkCounts()).get(d.id)).toBe(1);
      await store.deleteDocument(d.id);
      expect(await top('narwhal')).toEqual([]);
      expect(await store.searchKeywordChunks(ALICE, search('narwhal'))).toEqual([]);
      expect((await store.keywordChunkCounts()).has(d.id)).toBe(false);
    });

    it('says which documents need their keyword entries (re)built', async () => {
      const bare = doc('bare.md');
      await store.saveDocument(bare, 'no chunks given');
      const stale = () => store.documentsWithStaleKeywords().then((ds) => ds.map((x) => x.id));
      expect(await stale()).toContain(bare.id);
      await store.saveDocument(bare, 'no chunks given', undefined, chunksOf('no chunks given'));
      expect(await stale()).not.toContain(bare.id);
      // New text without new chunks leaves the old entries stale.
      await store.saveDocument({ ...bare, contentHash: 'ff'.repeat(32) }, 'other text now');
      expect(await stale()).toContain(bare.id);
      expect(await stale()).not.toContain(docs.git?.id);
    });

    it('counts words and lists the vocabulary for "did you mean"', async () => {
      // Per chunk: "starter" is in the bread note's heading chunk and in its body.
      expect(await store.keywordFrequencies(ALICE, ['starter', 'sourdough', 'zzzz'])).toEqual([2, 1, 0]);
      const words = await store.vocabulary(ALICE, 's', 6, 10);
      expect(words).toEqual(expect.arrayContaining(['starter', 'sourdough', 'safely', 'settings']));
      expect(words.every((w) => w.startsWith('s') && w.length >= 6 && w.length <= 10)).toBe(true);
      expect(await store.vocabulary(BOB, 's', 6, 10)).not.toContain('sourdough');
    });
  });
}
