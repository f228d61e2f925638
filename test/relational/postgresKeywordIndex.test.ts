import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSettingsSchema } from '../../core/api/settings';
import { keywordTerms } from '../../core/relational/postgres/keywordQuerySql';
import { migrate } from '../../core/relational/postgres/migrate';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgRunner } from '../../core/relational/postgres/pgRunner';
import { postgresRelationalStore } from '../../core/relational/postgres/postgresStore';
import {
  RELATIONAL_MIGRATIONS,
  RELATIONAL_MIGRATIONS_TABLE,
  RELATIONAL_MIGRATION_LOCK,
} from '../../core/relational/postgres/relationalSchema';
import type { RelationalStore } from '../../core/relational/types';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { startPostgres, type PostgresService } from '../services/postgres';
import { chunksOf, doc, search, word } from './keywordFixtures';

const USER = 'pg-kw';
let server: PostgresService;
const dbs: PgDatabase[] = [];
let fresh = 0;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.close()));
  await server?.dispose();
});

async function freshDatabase(): Promise<PgDatabase> {
  const name = `keywords_${++fresh}`;
  await server.createDatabase(name);
  const db = new PgDatabase(postgresSettingsSchema.parse({ host: server.host, port: server.port, database: name, username: server.user }));
  dbs.push(db);
  return db;
}

async function freshStore(): Promise<{ db: PgDatabase; store: RelationalStore }> {
  const db = await freshDatabase();
  const store = postgresRelationalStore(db);
  await store.connect();
  await store.ensureUser(USER, 'pg-kw@example.test');
  return { db, store };
}

const ids = async (store: RelationalStore, query: string) =>
  (await store.searchKeywordDocuments(USER, search(query))).map((m) => m.documentId);

describe('keyword index on PostgreSQL', () => {
  let db: PgDatabase;
  let store: RelationalStore;
  beforeAll(async () => {
    ({ db, store } = await freshStore());
  });

  it('indexes a 2 MB document of 300 chunks and 20,000 headings within the limits of tsvector', async () => {
    // One tsvector of this text would be over 1 MB, and its positions would stop at 16,383.
    const words = Array.from({ length: 300_000 }, (_, i) => word(i % 40_000));
    const parts = chunksOf(words.join(' '), 7_000);
    const last = parts.at(-1)!;
    last.content += ' finalmarker';
    last.charEnd += ' finalmarker'.length;
    // 1,000 times in one chunk: past the 256 positions a lexeme keeps.
    parts[10]!.content += ' echoword'.repeat(1_000);
    const text = parts.map((c) => c.content).join(' ');
    expect(text.length).toBeGreaterThan(2_000_000);
    const headings = Array.from({ length: 20_000 }, (_, i) => ({ level: 2, title: `Section ${word(i)}`, charStart: i, charEnd: i + 1 }));
    const big = doc(USER, 'big.txt', { chunkCount: parts.length });

    await store.saveDocument(big, text, { headings }, parts);

    expect(parts.length).toBeGreaterThanOrEqual(300);
    expect((await store.keywordChunkCounts()).get(big.id)).toBe(parts.length);
    expect(await ids(store, 'finalmarker')).toEqual([big.id]);
    expect((await store.searchKeywordChunks(USER, search('finalmarker')))[0]).toMatchObject({ chunkIndex: last.chunkIndex, charEnd: last.charEnd });
    expect((await store.searchKeywordChunks(USER, search('echoword')))[0]?.chunkIndex).toBe(10);
    expect(await store.getDocumentContent(big.id)).toBe(text);
    const { rows } = await db.query('SELECT max(pg_column_size(tsv)) AS size FROM keyword_chunks');
    expect(Number(rows[0]?.size)).toBeLessThan(1024 * 1024);
  });

  it('never fails on one huge chunk: it indexes the first 60,000 characters of each field', async () => {
    const text = ['hugefirst', ...Array.from({ length: 200_000 }, (_, i) => `huge${word(i % 5_000)}`), 'hugelast'].join(' ');
    expect(text.length).toBeGreaterThan(2_000_000);
    const huge = doc(USER, 'huge.txt');
    await store.saveDocument(huge, text, undefined, [{ chunkIndex: 0, content: text, charStart: 0, charEnd: text.length }]);
    expect(await ids(store, 'hugefirst')).toEqual([huge.id]);
    expect(await ids(store, 'hugelast')).toEqual([]);
    const [match] = await store.searchKeywordChunks(USER, search('hugefirst'));
    expect(match?.content).toBe(text);
  });

  it('finds phrases across the stopwords PostgreSQL leaves out', async () => {
    const git = doc(USER, 'git.md');
    const art = doc(USER, 'parser.md');
    const gitText = 'Use git push --force-with-lease to overwrite a remote branch.';
    const artText = 'A state-of-the-art parser for the language.';
    await store.saveDocument(git, gitText, undefined, chunksOf(gitText, 1000));
    await store.saveDocument(art, artText, undefined, chunksOf(artText, 1000));
    expect(await ids(store, '--force-with-lease')).toEqual([git.id]);
    expect(await ids(store, '"force with lease"')).toEqual([git.id]);
    expect(await ids(store, '"state of the art"')).toEqual([art.id]);
    expect(await ids(store, '"art state"')).toEqual([]);
    // PostgreSQL keeps a stopword's place, not the word: any word fits there.
    expect(await ids(store, '"force the lease"')).toEqual([git.id]);
    // A query of stopwords only has nothing PostgreSQL indexes.
    expect(await ids(store, 'the and of')).toEqual([]);
  });

  it('matches no phrase across two fields', async () => {
    const d = doc(USER, 'fields.md');
    const text = 'node comes first in this chunk';
    await store.saveDocument(d, text, { headings: [{ level: 1, title: 'Install', charStart: 0, charEnd: 1 }] }, chunksOf(text, 1000, { headingPath: ['Install'] }));
    expect(await ids(store, 'install node')).toContain(d.id);
    expect(await ids(store, '"install node"')).toEqual([]);
    expect(await store.searchKeywordChunks(USER, search('"install node"'))).toEqual([]);
  });

  it('reads text as FTS5 unicode61 does: accents folded, every punctuation mark a separator', async () => {
    const d = doc(USER, 'reading.md');
    const text = 'The café’s menu: call fs.readFile and see src/utils/pathHelpers or naïve x-ray results (v2.5).';
    await store.saveDocument(d, text, undefined, chunksOf(text, 1000));
    for (const q of ['cafe', 'café', 'readfile', 'utils', 'pathhelpers', 'naive', 'ray', 'menu']) expect(await ids(store, q), q).toEqual([d.id]);
  });

  it('never reads what users type as tsquery syntax', async () => {
    const d = doc(USER, 'abacus.md');
    await store.saveDocument(d, 'An abacus counts beads.', undefined, chunksOf('An abacus counts beads.', 1000));
    expect(await ids(store, 'abacus')).toEqual([d.id]);
    // `ab:*` would be a prefix search, `!x` a negation, `<->` and `&`/`|` operators.
    for (const q of ['ab:*', "'ab':*", 'beads & !abacus', 'abacus <-> beads | x', "it's O'Brien\\", '::tsquery']) {
      const terms = keywordTerms(parseKeywordQuery(q));
      expect(terms.every((t) => /^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u.test(t.words)), q).toBe(true);
      await expect(store.searchKeywordChunks(USER, search(q))).resolves.toBeInstanceOf(Array);
    }
    expect(await ids(store, 'ab:*')).toEqual([]);
  });

  it('counts a word in a document’s name in each of its chunks, as FTS5 indexes the name with every chunk', async () => {
    const d = doc(USER, 'quokka-sightings.md');
    const text = 'First sighting at dawn. Second one near the road.';
    await store.saveDocument(d, text, undefined, [
      { chunkIndex: 0, content: text.slice(0, 23), charStart: 0, charEnd: 23 },
      { chunkIndex: 1, content: text.slice(24), charStart: 24, charEnd: text.length },
    ]);
    expect(await store.keywordFrequencies(USER, ['quokka', 'sighting', 'dawn'])).toEqual([2, 2, 1]);
  });

  it('finds a renamed document’s passages by its new name', async () => {
    const d = doc(USER, 'walrus-facts.md');
    await store.saveDocument(d, 'Tusks and whiskers.', undefined, chunksOf('Tusks and whiskers.', 1000));
    expect((await store.searchKeywordChunks(USER, search('walrus')))[0]?.documentId).toBe(d.id);
    await store.saveDocument({ ...d, name: 'pinniped-facts.md' }, 'Tusks and whiskers.');
    expect(await store.searchKeywordChunks(USER, search('walrus'))).toEqual([]);
    expect((await store.searchKeywordChunks(USER, search('pinniped')))[0]).toMatchObject({ documentId: d.id, content: 'Tusks and whiskers.' });
  });
});

describe('keyword index migration on PostgreSQL', () => {
  it('leaves the documents of a version-2 database stale and unsearchable until re-indexed', async () => {
    const db = await freshDatabase();
    await migrate(pgRunner(db), { table: RELATIONAL_MIGRATIONS_TABLE, lockKey: RELATIONAL_MIGRATION_LOCK, steps: RELATIONAL_MIGRATIONS.slice(0, 2) });
    const old = doc(USER, 'old-notes.md');
    await db.query(`INSERT INTO users (id, email) VALUES ($1, $2)`, [USER, 'pg-kw@example.test']);
    await db.query(
      `INSERT INTO documents (id, user_id, name, source_key, source_path, storage_key, content, content_hash, mime_type, size,
         chunk_count, uploaded_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [old.id, USER, old.name, old.sourceKey, old.sourcePath, old.storageKey, 'Salt cod soaks overnight.', old.contentHash, old.mimeType, old.size, 1, old.uploadedAt, old.updatedAt],
    );

    const store = postgresRelationalStore(db);
    await store.connect();
    const { rows } = await db.query(`SELECT version FROM ${RELATIONAL_MIGRATIONS_TABLE} ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect((await store.documentsWithStaleKeywords()).map((d) => d.id)).toEqual([old.id]);
    expect(await ids(store, 'cod')).toEqual([]);

    await store.saveDocument(old, 'Salt cod soaks overnight.', undefined, chunksOf('Salt cod soaks overnight.', 1000));
    expect(await store.documentsWithStaleKeywords()).toEqual([]);
    expect(await ids(store, 'cod')).toEqual([old.id]);
  });
});
