import { describe, expect, it } from 'vitest';
import type { AuroraStoreOptions } from '../../core/relational/aurora/auroraStore';
import type { KeywordChunk, RelationalStore } from '../../core/relational/types';
import { useAuroraStack } from '../services/auroraStack';
import { chunksOf, doc, search, word } from './keywordFixtures';

const USER = 'aurora-kw';
const aurora = useAuroraStack();

async function open(opts: AuroraStoreOptions = {}): Promise<RelationalStore> {
  const store = aurora.open({}, opts);
  await store.connect();
  await store.ensureUser(USER, 'aurora-kw@example.test');
  return store;
}

const executed = (pattern: RegExp) => aurora.dataApi.requests.filter((r) => r.operation === 'Execute' && pattern.test(String(r.body.sql)));

describe('keyword index through the Data API', () => {
  it('writes 300 chunks in one transaction, in requests far below the 4 MiB cap, and reads them back', async () => {
    const store = await open();
    // About 5,000 characters a chunk, 1.5 MB in all, some of them two bytes long in UTF-8.
    const chunkText = (i: number) =>
      Array.from({ length: 700 }, (_, j) => (j % 7 === 0 ? 'déjà' : word((i * 700 + j) % 5_000))).join(' ') + ` common${i === 299 ? ' lastone' : ''}`;
    const parts: KeywordChunk[] = [];
    for (let i = 0, at = 0; i < 300; i++) {
      const content = chunkText(i);
      parts.push({ chunkIndex: i, content, charStart: at, charEnd: at + content.length });
      at += content.length + 1;
    }
    const text = parts.map((c) => c.content).join('\n');
    expect(text.length).toBeGreaterThan(1_500_000);
    const d = doc(USER, 'long.txt', { chunkCount: parts.length });

    aurora.dataApi.requests.length = 0;
    await store.saveDocument(d, text, undefined, parts);

    const operations = aurora.dataApi.requests.map((r) => r.operation);
    expect(operations[0]).toBe('BeginTransaction');
    expect(operations.at(-1)).toBe('CommitTransaction');
    expect(aurora.dataApi.requests.filter((r) => r.operation === 'Execute').every((r) => typeof r.body.transactionId === 'string')).toBe(true);
    expect(executed(/INSERT INTO keyword_chunks/).length).toBeGreaterThan(1);
    const largest = Math.max(...aurora.dataApi.requests.map((r) => Buffer.byteLength(JSON.stringify(r.body))));
    expect(largest).toBeLessThan(2 * 1024 * 1024);
    expect(aurora.dataApi.openTransactions).toBe(0);

    expect((await store.keywordChunkCounts()).get(d.id)).toBe(300);
    expect((await store.searchKeywordChunks(USER, search('lastone')))[0]?.chunkIndex).toBe(299);
    expect(await store.searchKeywordChunks(USER, search('deja'))).not.toEqual([]);

    // 300 chunks of text are more than a response may carry: read apart, in groups.
    aurora.dataApi.requests.length = 0;
    const all = await store.searchKeywordChunks(USER, search('common', { limit: 300 }));
    expect(all.map((c) => c.chunkIndex).sort((a, b) => a - b)).toEqual(parts.map((c) => c.chunkIndex));
    for (const c of all) expect(c.content).toBe(parts[c.chunkIndex]!.content);
    expect(executed(/SELECT id, body FROM keyword_chunks/).length).toBeGreaterThan(1);
  });

  it('reads a chunk longer than one response in pieces', async () => {
    const store = await open({ contentSliceChars: 1_000 });
    const text = `needle ${'😀 ünïcode '.repeat(600)}`;
    const d = doc(USER, 'one-long-chunk.txt');
    await store.saveDocument(d, text, undefined, [{ chunkIndex: 0, content: text, charStart: 0, charEnd: text.length }]);
    aurora.dataApi.requests.length = 0;
    const [match] = await store.searchKeywordChunks(USER, search('needle'));
    expect(match?.content).toBe(text);
    expect(executed(/substr\(body/).length).toBeGreaterThan(1);
  });

  it('keeps entries fresh when the same text arrives in slices, and stale once it changes', async () => {
    const store = await open({ contentSliceChars: 10 });
    const stale = async () => (await store.documentsWithStaleKeywords()).map((x) => x.id);
    const text = 'Sliced text arrives in many small pieces.';
    const d = doc(USER, 'sliced.md');
    await store.saveDocument(d, text, undefined, chunksOf(text, 1000));
    expect(await stale()).not.toContain(d.id);
    await store.saveDocument({ ...d, name: 'renamed.md' }, text);
    expect(await stale()).not.toContain(d.id);
    expect(await store.getDocumentContent(d.id)).toBe(text);
    await store.saveDocument(d, `${text} And one more.`);
    expect(await stale()).toContain(d.id);
  });

  it('writes a document and its keyword entries together or not at all', async () => {
    const store = await open();
    const d = doc(USER, 'atomic.md');
    await store.saveDocument(d, 'first version', undefined, chunksOf('first version', 1000));
    const twice = [...chunksOf('second version', 1000), ...chunksOf('second version', 1000)];
    await expect(store.saveDocument({ ...d, contentHash: 'ef'.repeat(32) }, 'second version', undefined, twice)).rejects.toThrow(/duplicate key/);
    expect(await store.getDocumentContent(d.id)).toBe('first version');
    expect((await store.getDocument(d.id))?.contentHash).toBe(d.contentHash);
    expect((await store.searchKeywordChunks(USER, search('first')))[0]?.documentId).toBe(d.id);
    expect(aurora.dataApi.openTransactions).toBe(0);
  });
});
