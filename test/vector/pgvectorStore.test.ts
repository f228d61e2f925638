import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { pgvectorStore } from '../../core/vector/pgvector/pgvectorStore';
import { chunk, cosine, unit } from '../contract/vectorFixtures';
import { usePgvectorServer } from '../services/pgvectorHarness';

/** Connect-time checks and transactions of the pgvector store, on a real PostgreSQL 17 + pgvector. */
const pgv = usePgvectorServer();
const vectorSettings = settingsSchema.parse({}).vector;

const v = (dims: number, i: number) => {
  const a = new Array(dims).fill(0.01);
  a[i % dims] = 1;
  return unit(a);
};

describe('pgvector store: connect', () => {
  it('refuses a model whose dimension differs from the stored vectors, naming both numbers', async () => {
    await pgv.createDatabase('dims_db');
    const db = pgv.open('dims_db');
    const small = pgvectorStore(db, vectorSettings);
    await small.connect(384);
    await small.upsert('alice', 'doc-1', [chunk('doc-1', 0, v(384, 1))]);

    const big = pgvectorStore(db, vectorSettings);
    await expect(big.connect(768)).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/768-dimensional vectors, which does not match the stored 384-dimensional/),
    });
    expect(big.dimensions()).toBeUndefined();

    // With the table emptied, the new model's dimension is taken.
    await small.deleteByDocument('doc-1');
    await big.connect(768);
    expect(big.dimensions()).toBe(768);
    const { rows } = await db.query<{ t: string }>(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'vector_embeddings'::regclass AND attname = 'embedding'`);
    expect(rows[0]!.t).toBe('vector(768)');
  });

  it('says how to get pgvector when the user may not create the extension', async () => {
    const admin = new pg.Client({ host: pgv.server.host, port: pgv.server.port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE ROLE app LOGIN');
    await admin.end();
    await pgv.createDatabase('app_db', 'app');
    const store = pgvectorStore(pgv.open('app_db', 'app'), vectorSettings);
    await expect(store.connect(8)).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: expect.stringMatching(/not enabled in database "app_db", and user "app" may not enable it.*CREATE EXTENSION vector/),
    });
  });

  it('reads vectors on connections the pool opened before the extension existed', async () => {
    await pgv.createDatabase('early_db');
    const db = pgv.open('early_db');
    // The relational store got there first: three connections exist, none knows the vector type,
    // and one of them is still busy while the vector store connects.
    await Promise.all([1, 2, 3].map(() => db.query('SELECT pg_sleep(0.05)')));
    const busy = db.query('SELECT pg_sleep(0.5)');
    const store = pgvectorStore(db, vectorSettings);
    await store.connect(4);
    await busy;
    const e = unit([0.1, 0.2, 0.3, 0.4]);
    await store.upsert('alice', 'doc-1', [chunk('doc-1', 0, e)]);

    // The idle connections were given pgvector's parser at connect(); the busy one was not.
    const all = await Promise.all([1, 2, 3].map(() => db.query<{ embedding: unknown }>('SELECT embedding, pg_sleep(0.05) FROM vector_embeddings')));
    const forms = new Set(all.map((r) => (Array.isArray(r.rows[0]!.embedding) ? 'array' : typeof r.rows[0]!.embedding)));
    expect(forms).toEqual(new Set(['array', 'string']));

    // Whichever connection it gets, the store reads the same vector.
    for (let i = 0; i < 3; i++) {
      const docs = [];
      for await (const d of store.scanDocuments()) docs.push(d);
      expect(docs[0]!.chunks[0]!.embedding).toBeInstanceOf(Float32Array);
      expect(Array.from(docs[0]!.chunks[0]!.embedding)).toEqual(Array.from(e));
    }

    // A pool whose connections open after connect() gets the parser on each of them.
    const late = pgv.open('early_db');
    await pgvectorStore(late, vectorSettings).connect(4);
    const fresh = await Promise.all([1, 2].map(() => late.query<{ embedding: unknown }>('SELECT embedding, pg_sleep(0.05) FROM vector_embeddings')));
    expect(fresh.every((r) => Array.isArray(r.rows[0]!.embedding))).toBe(true);
  });

  it('reports pgvector and PostgreSQL versions when available; close() leaves a shared pool open', async () => {
    await pgv.createDatabase('health_db');
    const db = pgv.open('health_db');
    const store = pgvectorStore(db, vectorSettings);
    await store.connect(4);
    const health = await store.isAvailable();
    expect(health).toMatchObject({ provider: 'pgvector', available: true, message: expect.stringMatching(/^pgvector 0\.8\.\d+ on PostgreSQL 17/) });
    await store.close();
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });
});

describe('pgvector store: index generations', () => {
  const relations = async (db: PgDatabase) =>
    (await db.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname LIKE 'vector_embeddings%' ORDER BY relname`)).rows.map(
      (r) => r.relname,
    );

  it('keeps each generation in its own table and indexes (HNSW included), and drops one whole', async () => {
    await pgv.createDatabase('gen_db');
    const db = pgv.open('gen_db');
    const first = pgvectorStore(db, vectorSettings, { indexThreshold: 2 });
    const next = pgvectorStore(db, { ...vectorSettings, generation: 'g2' }, { indexThreshold: 2 });
    await first.connect(3);
    await next.connect(5);
    await first.upsert('alice', 'd', [chunk('d', 0, v(3, 0)), chunk('d', 1, v(3, 1))]);
    await next.upsert('alice', 'd', [chunk('d', 0, v(5, 0)), chunk('d', 1, v(5, 1)), chunk('d', 2, v(5, 2))]);
    expect(first.indexStats().indexed).toBe(true);
    expect(next.indexStats().indexed).toBe(true);
    expect(await relations(db)).toEqual([
      'vector_embeddings',
      'vector_embeddings_document_idx',
      'vector_embeddings_embedding_hnsw',
      'vector_embeddings_g2',
      'vector_embeddings_g2_document_idx',
      'vector_embeddings_g2_embedding_hnsw',
      'vector_embeddings_g2_id_pkey',
      'vector_embeddings_g2_user_idx',
      'vector_embeddings_id_pkey',
      'vector_embeddings_user_idx',
    ]);
    const comment = await db.query<{ c: string }>(`SELECT obj_description('vector_embeddings_g2'::regclass, 'pg_class') AS c`);
    expect(comment.rows[0]!.c).toMatch(/5 dimensions/);
    expect(await first.count()).toBe(2);
    expect(await next.count()).toBe(3);

    await next.drop();
    expect(next.dimensions()).toBeUndefined();
    expect(next.indexStats()).toEqual({ indexed: false });
    await expect(next.count()).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    expect((await relations(db)).filter((r) => r.includes('g2'))).toEqual([]);
    await next.drop(); // already gone: fine
    expect(await first.count()).toBe(2);
    expect((await first.query(v(3, 1), 'alice', 1))[0]).toMatchObject({ chunkId: 'd:1' });

    await next.connect(7); // a fresh table of any dimension
    expect(await next.count()).toBe(0);
    expect(next.indexStats()).toEqual({ indexed: false });
  });

  it('refuses a generation that is not a plain identifier', () => {
    const db = pgv.open('postgres');
    expect(() => pgvectorStore(db, { ...vectorSettings, generation: 'x; DROP TABLE documents' })).toThrow(
      expect.objectContaining({ kind: 'ValidationError' }),
    );
  });
});

describe('pgvector store: transactions with the relational rows', () => {
  let db: PgDatabase;
  let store: ReturnType<typeof pgvectorStore>;
  const docRows = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents')).rows[0]!.n;

  beforeAll(async () => {
    await pgv.createDatabase('tx_db');
    db = pgv.open('tx_db');
    store = pgvectorStore(db, vectorSettings);
    await store.connect(8);
    // Stands in for the relational store's documents table on the same database.
    await db.query('CREATE TABLE documents (id TEXT PRIMARY KEY, user_id TEXT NOT NULL)');
  });

  it('rolls a document row and its vectors back together', async () => {
    await expect(
      db.transaction(async () => {
        await db.query('INSERT INTO documents VALUES ($1, $2)', ['doc-1', 'alice']);
        await store.upsert('alice', 'doc-1', [chunk('doc-1', 0, v(8, 0)), chunk('doc-1', 1, v(8, 1))]);
        expect(await store.count('alice')).toBe(2); // visible inside the transaction
        throw new Error('embedding failed halfway');
      }),
    ).rejects.toThrow('embedding failed halfway');
    expect(await docRows()).toBe(0);
    expect(await store.count()).toBe(0);
    expect(await store.query(v(8, 0), 'alice', 5)).toEqual([]);
  });

  it('commits them together, and deletes them together', async () => {
    await db.transaction(async () => {
      await db.query('INSERT INTO documents VALUES ($1, $2)', ['doc-2', 'alice']);
      await store.upsert('alice', 'doc-2', [chunk('doc-2', 0, v(8, 2))]);
    });
    expect(await docRows()).toBe(1);
    expect(await store.count()).toBe(1);

    await expect(
      db.transaction(async () => {
        await db.query('DELETE FROM documents WHERE id = $1', ['doc-2']);
        expect(await store.deleteByDocument('doc-2')).toBe(1);
        throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(await docRows()).toBe(1);
    expect(await store.count()).toBe(1);

    await db.transaction(async () => {
      await db.query('DELETE FROM documents WHERE id = $1', ['doc-2']);
      await store.deleteByDocument('doc-2');
    });
    expect(await docRows()).toBe(0);
    expect(await store.count()).toBe(0);
  });

  it('refuses NaN vectors and stores text with NUL characters', async () => {
    await expect(store.upsert('alice', 'doc-4', [chunk('doc-4', 0, new Float32Array(8).fill(Number.NaN))])).rejects.toMatchObject({
      kind: 'ValidationError',
    });
    await store.upsert('alice', 'doc-4', [chunk('doc-4', 0, v(8, 4), 'a\u0000b')]);
    const [hit] = await store.query(v(8, 4), 'alice', 1);
    expect(hit).toMatchObject({ documentId: 'doc-4', content: 'a\uFFFDb' });
    await store.deleteByDocument('doc-4');
  });

  it('a re-index that fails part-way keeps the old chunks (replace is atomic)', async () => {
    await store.upsert('alice', 'doc-3', [chunk('doc-3', 0, v(8, 3))]);
    const chunks = Array.from({ length: 1200 }, (_, i) => chunk('doc-3', i, v(8, i)));
    chunks[1100] = { ...chunks[1100]!, id: chunks[1099]!.id }; // a duplicate id in the third INSERT batch
    await expect(store.upsert('alice', 'doc-3', chunks)).rejects.toThrow(/cannot affect row a second time/);
    const hits = await store.query(v(8, 3), 'alice', 5);
    expect(hits.map((h) => h.chunkId)).toEqual(['doc-3:0']);
    expect(cosine(v(8, 3), v(8, 3))).toBeCloseTo(hits[0]!.score, 5);
  });
});

describe('pgvector store: tables made before chunk locations', () => {
  // The table as releases before locations made it, copied here on purpose: the test is that
  // such a table upgrades, so it must not follow later changes to vectorTable.ts.
  const v1Table = (table: string) => `CREATE TABLE ${table} (
    id TEXT CONSTRAINT ${table}_id_pkey PRIMARY KEY, user_id TEXT NOT NULL, document_id TEXT NOT NULL,
    chunk_index INTEGER NOT NULL, content TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    embedding vector(4) NOT NULL)`;
  const locationType = async (db: PgDatabase, table: string) =>
    (
      await db.query<{ t: string }>(
        `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'location'`,
        [table],
      )
    ).rows[0]?.t;

  it.each(['', 'g2'])('adds the column to generation "%s" on connect, keeping its rows', async (generation) => {
    const database = `old_${generation || 'first'}_db`;
    await pgv.createDatabase(database);
    const db = pgv.open(database);
    const table = generation ? `vector_embeddings_${generation}` : 'vector_embeddings';
    await db.query('CREATE EXTENSION vector');
    await db.query(v1Table(table));
    await db.query(
      `INSERT INTO ${table} VALUES ('old:0', 'alice', 'old', 0, 'old 0', 0, 5, '[1,0,0,0]'), ('old:1', 'alice', 'old', 1, 'old 1', 5, 10, '[0,1,0,0]')`,
    );
    expect(await locationType(db, table)).toBeUndefined();

    const store = pgvectorStore(db, { ...vectorSettings, generation });
    await store.connect(4);
    expect(await locationType(db, table)).toBe('jsonb');
    expect(await store.count()).toBe(2);
    const [hit] = await store.query(unit([0, 1, 0, 0]), 'alice', 1);
    expect(hit).toMatchObject({ chunkId: 'old:1', content: 'old 1', charStart: 5 });
    expect(hit!.location).toBeUndefined();
    const docs = [];
    for await (const d of store.scanDocuments()) docs.push(d);
    expect(docs.map((d) => d.chunks.map((c) => [c.id, c.location]))).toEqual([[['old:0', undefined], ['old:1', undefined]]]);

    const location = { headingPath: ['Setup'], pageStart: 4, pageEnd: 4 };
    await store.upsert('alice', 'new', [{ ...chunk('new', 0, unit([0, 0, 1, 0])), location }]);
    expect((await store.query(unit([0, 0, 1, 0]), 'alice', 1))[0]!.location).toEqual(location);
    expect(await store.documentChunkCounts()).toEqual(
      new Map([
        ['old', 2],
        ['new', 1],
      ]),
    );
  });

  it('connects to an up-to-date table without waiting for a writer\'s open transaction', async () => {
    await pgv.createDatabase('busy_db');
    const db = pgv.open('busy_db');
    await pgvectorStore(db, vectorSettings).connect(4);
    // A writer mid-transaction holds a lock that any ALTER TABLE would queue behind.
    const writer = new pg.Client({ host: pgv.server.host, port: pgv.server.port, user: 'postgres', database: 'busy_db' });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO vector_embeddings VALUES ('w:0', 'bob', 'w', 0, 'w', 0, 1, NULL, '[1,0,0,0]')`);
      const second = pgvectorStore(db, vectorSettings);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still waiting after 3 s'), 3_000)));
      expect(await Promise.race([second.connect(4).then(() => 'connected'), waited])).toBe('connected');
      clearTimeout(timer);
    } finally {
      await writer.query('ROLLBACK');
      await writer.end();
    }
  });

  it('stores a heading with a NUL character (which jsonb refuses) as U+FFFD', async () => {
    await pgv.createDatabase('nul_heading_db');
    const store = pgvectorStore(pgv.open('nul_heading_db'), vectorSettings);
    await store.connect(4);
    await store.upsert('alice', 'd', [{ ...chunk('d', 0, unit([1, 0, 0, 0])), location: { headingPath: ['a\u0000b'], pageStart: 1 } }]);
    expect((await store.query(unit([1, 0, 0, 0]), 'alice', 1))[0]!.location).toEqual({ headingPath: ['a\uFFFDb'], pageStart: 1 });
  });
});
