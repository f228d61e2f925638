import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openSqlite } from '../../core/relational/sqliteDatabase';
import { sqliteRelationalStore } from '../../core/relational/sqliteProvider';
import type { DocumentRecord, KeywordChunk, KeywordSearch, RelationalStore } from '../../core/relational/types';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { DEFAULT_KEYWORD_WEIGHTS } from '../../core/search/keywordText';

export const doc = (userId: string, name: string, over: Partial<DocumentRecord> = {}): DocumentRecord => {
  const id = randomUUID();
  return {
    id,
    userId,
    name,
    sourceKey: `/kw/${id}/${name}`,
    sourcePath: `/kw/${id}/${name}`,
    storageKey: 'ab'.repeat(32),
    contentHash: 'cd'.repeat(32),
    mimeType: 'text/plain',
    size: 100,
    chunkCount: 1,
    uploadedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
};

/** Text cut into chunks of about `size` characters at spaces, with offsets. */
export function chunksOf(text: string, size: number, location?: KeywordChunk['location']): KeywordChunk[] {
  const chunks: KeywordChunk[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    const space = text.lastIndexOf(' ', end);
    if (end < text.length && space > start) end = space;
    chunks.push({ chunkIndex: chunks.length, content: text.slice(start, end), charStart: start, charEnd: end, ...(location ? { location } : {}) });
    start = end;
  }
  return chunks;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qu', 'bra', 'dol', 'fen', 'gri', 'hux', 'jor'];

/** A distinct made-up word for every n: letters only, so the stemmer keeps them apart. */
export function word(n: number): string {
  let out = '';
  let rest = n;
  do {
    out += SYLLABLES[rest % SYLLABLES.length];
    rest = Math.floor(rest / SYLLABLES.length);
  } while (rest > 0);
  return `${out}x`;
}

export const search = (query: string, over: Partial<KeywordSearch> = {}): KeywordSearch => ({
  query: parseKeywordQuery(query),
  limit: 10,
  weights: DEFAULT_KEYWORD_WEIGHTS,
  ...over,
});

/** The embedded relational store in a new file in `dir`, connected, with these users. */
export async function sqliteStoreIn(dir: string, ...users: string[]): Promise<RelationalStore> {
  const path = join(dir, `kb-${randomUUID()}.sqlite`);
  const store = sqliteRelationalStore(openSqlite(path), path);
  await store.connect();
  for (const user of users) await store.ensureUser(user, `${user}@example.test`);
  return store;
}
