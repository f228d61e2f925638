import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema, type SettingsPatch } from '../../core/api/settings';
import type { SearchMode } from '../../core/api/search';
import type { DocumentFilter, DocumentRecord, KeywordChunk } from '../../core/relational/types';
import { hybridSearch } from '../../core/search/hybridSearch';
import { searchTuningFor } from '../../core/search/searchTuning';
import { openStores, type Stores } from '../../core/service/providers';
import type { ChunkVector } from '../../core/vector/types';
import { normalize, rng } from '../contract/vectorFixtures';
import { startChroma, type ChromaService } from '../services/chroma';
import { usePgvectorServer } from '../services/pgvectorHarness';
import { tempDir } from '../helpers/tempDir';

/**
 * Isolation as a property, on every provider pair: random users with random documents that share
 * one vocabulary (so every query's words are also in other users' documents), then random queries
 * in all three modes, with and without filters pointing at another user's folder — no answer ever
 * holds another user's document or passage.
 */
const DIMS = 16;
const USERS = ['iso-ann', 'iso-ben', 'iso-cat', 'iso-dan', 'iso-eve'];
const WORDS = 'river stone garden lantern harvest copper meadow signal ledger orbit velvet anchor ember prism canyon falcon quartz willow tundra beacon'.split(' ');
const MODES: SearchMode[] = ['vector', 'keyword', 'hybrid'];
const QUERIES = 60;

/** Which user each document belongs to. */
interface Library {
  owner: Map<string, string>;
}

function randomVector(r: () => number): Float32Array {
  return normalize(Float32Array.from({ length: DIMS }, () => r() - 0.5));
}

/** Writes 8-14 documents of 1-4 chunks for each user, rows and vectors, as ingestion would. */
async function seed(stores: Stores, seedNo: number): Promise<Library> {
  const r = rng(seedNo);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(r() * list.length)] as T;
  const owner = new Map<string, string>();
  for (const user of USERS) {
    await stores.relational.ensureUser(user, `${user}@example.test`);
    const docs = 8 + Math.floor(r() * 7);
    for (let d = 0; d < docs; d++) {
      const id = randomUUID();
      const chunkCount = 1 + Math.floor(r() * 4);
      const texts = Array.from({ length: chunkCount }, () => Array.from({ length: 6 + Math.floor(r() * 10) }, () => pick(WORDS)).join(' '));
      let offset = 0;
      const keywords: KeywordChunk[] = texts.map((content, chunkIndex) => {
        const chunk = { chunkIndex, content, charStart: offset, charEnd: offset + content.length };
        offset += content.length + 2;
        return chunk;
      });
      const vectors: ChunkVector[] = keywords.map((k) => ({ ...k, id: `${id}-c${k.chunkIndex}`, embedding: randomVector(r) }));
      const name = `${pick(WORDS)}-${d}.md`;
      const row: DocumentRecord = {
        id,
        userId: user,
        name,
        sourceKey: `/home/${user}/notes/${name}`,
        sourcePath: `/home/${user}/notes/${name}`,
        storageKey: 'ab'.repeat(32),
        contentHash: `${d}`.padStart(64, 'c'),
        mimeType: 'text/markdown',
        size: offset,
        chunkCount,
        uploadedAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      await stores.vector.upsert(user, id, vectors);
      await stores.relational.saveDocument(row, texts.join('\n\n'), undefined, keywords);
      owner.set(id, user);
    }
  }
  return { owner };
}

async function checkQueries(stores: Stores, library: Library, seedNo: number): Promise<number> {
  const r = rng(seedNo + 1000);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(r() * list.length)] as T;
  const tuning = searchTuningFor('isolation-test');
  let hitsSeen = 0;
  for (let q = 0; q < QUERIES; q++) {
    const userId = pick(USERS);
    const other = pick(USERS.filter((u) => u !== userId));
    const query = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(WORDS)).join(' ');
    const filters: (DocumentFilter | undefined)[] = [undefined, { folder: `/home/${other}/notes` }, { extensions: ['md'] }];
    const filter = pick(filters);
    for (const mode of MODES) {
      const res = await hybridSearch(
        { relational: stores.relational, vector: stores.vector, embedQuery: async () => randomVector(r), modelId: 'isolation-test' },
        { userId, query, k: 10, mode, tuning, ...(filter ? { filter } : {}) },
      );
      for (const hit of res.hits) {
        hitsSeen++;
        expect(library.owner.get(hit.documentId), `${mode} "${query}" for ${userId} returned ${hit.documentId}`).toBe(userId);
        expect(hit.sourcePath ?? '').not.toContain(`/home/${other}/`);
      }
      if (filter?.folder) expect(res.hits, `${mode} "${query}" for ${userId} filtered to ${other}'s folder`).toEqual([]);
    }
  }
  return hitsSeen;
}

async function runProperty(patch: SettingsPatch, dataDir: string, seedNo: number): Promise<void> {
  const settings = settingsSchema.parse(patch);
  const stores = openStores(settings, dataDir);
  try {
    await stores.relational.connect();
    await stores.vector.connect(DIMS);
    const library = await seed(stores, seedNo);
    const hits = await checkQueries(stores, library, seedNo);
    // The property is only worth something if the searches found things.
    expect(hits).toBeGreaterThan(QUERIES);
  } finally {
    await stores.close();
  }
}

describe('no search ever returns another user’s chunk, on every provider pair', { timeout: 240_000 }, () => {
  const pg = usePgvectorServer();
  let chroma: ChromaService;
  const dirs: { cleanup(): void }[] = [];
  const dataDir = () => {
    const d = tempDir('qckstrt-isolation-');
    dirs.push(d);
    return d.path;
  };
  beforeAll(async () => {
    chroma = await startChroma();
  }, 120_000);
  afterAll(async () => {
    await chroma?.dispose();
    dirs.forEach((d) => d.cleanup());
  });
  const postgres = (database: string) => ({ provider: 'postgres' as const, postgres: { host: pg.server.host, port: pg.server.port, database, username: 'postgres' } });

  it('embedded: SQLite + sqlite-vec', async () => {
    await runProperty({}, dataDir(), 11);
  });

  it('consolidated: PostgreSQL + pgvector', async () => {
    await pg.createDatabase('isolation_pgvector');
    await runProperty({ relational: postgres('isolation_pgvector'), vector: { provider: 'pgvector' } }, dataDir(), 12);
  });

  it('local stack: PostgreSQL + ChromaDB', async () => {
    await pg.createDatabase('isolation_chroma');
    await runProperty({ relational: postgres('isolation_chroma'), vector: { provider: 'chromadb', chromaUrl: chroma.url, chromaCollection: 'isolation' } }, dataDir(), 13);
  });
});
