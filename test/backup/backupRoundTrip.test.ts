import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMixedCorpus } from '../helpers/documents';
import { storedChunks, viewLibrary } from '../helpers/librarySnapshot';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { usePgvectorServer } from '../services/pgvectorHarness';

const QUERIES = ['garden irrigation schedule', 'invoice total', 'configuration parser', 'meeting notes'];

/**
 * `backupLibrary` then `restoreLibrary` into another data folder (and other providers): the same
 * documents (ids, names, hashes, chunk counts), the same text, the same chunks and vectors, the
 * same search results, without re-embedding.
 */
describe('backup and restore round trip', { timeout: 300_000 }, () => {
  const pg = usePgvectorServer();
  let chroma: ChromaService;
  const dirs: { path: string; cleanup(): void }[] = [];
  const dir = (prefix: string) => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };
  let docsDir: string;
  beforeAll(async () => {
    chroma = await startChroma();
    docsDir = dir('qckstrt-backup-docs-').path;
    await writeMixedCorpus(docsDir, { files: 24, seed: 'backup-round-trip' });
  }, 120_000);
  afterAll(async () => {
    await chroma?.dispose();
    dirs.forEach((d) => d.cleanup());
  });

  const pgEnv = async (database: string) => {
    await pg.createDatabase(database);
    return {
      RELATIONAL_DB_PROVIDER: 'postgres',
      RELATIONAL_DB_HOST: pg.server.host,
      RELATIONAL_DB_PORT: String(pg.server.port),
      RELATIONAL_DB_DATABASE: database,
      RELATIONAL_DB_USERNAME: pg.server.user,
      VECTOR_DB_PROVIDER: 'pgvector',
    };
  };
  const chromaEnv = (collection: string) => ({ VECTOR_DB_PROVIDER: 'chromadb', VECTOR_DB_CHROMA_URL: chroma.url, VECTOR_DB_CHROMA_COLLECTION: collection });

  async function roundTrip(from: Record<string, string>, to: Record<string, string>, options: { targetHasDocs?: boolean } = {}) {
    const sourceDir = dir('qckstrt-backup-from-').path;
    const source = await startTestService(from, sourceDir);
    const jobs = await indexAndWait(source.service, [docsDir]);
    expect(jobs.filter((j) => j.state !== 'done')).toEqual([]);
    const before = await viewLibrary(source.service, QUERIES);
    const backup = await source.service.backupLibrary({});
    expect(backup).toMatchObject({ documents: before.docs.length, automatic: false });
    expect(backup.vectors).toBe(before.docs.reduce((n, d) => n + d.chunkCount, 0));
    expect(backup.path.startsWith(join(sourceDir, 'backups'))).toBe(true);
    await source.service.close();
    const chunksBefore = await storedChunks(sourceDir, from);

    const targetDir = dir('qckstrt-backup-to-').path;
    let target = await startTestService(to, targetDir);
    if (options.targetHasDocs) {
      const other = dir('qckstrt-backup-other-');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(other.path, 'stale.md'), '# Stale\n\nA document the restore must replace.\n');
      await indexAndWait(target.service, [other.path]);
      expect(await target.service.listDocuments()).toHaveLength(1);
    }
    const restored = await target.service.restoreLibrary({ path: backup.path });
    expect(restored).toMatchObject({ documents: before.docs.length, vectors: backup.vectors, reindexed: false });
    const after = await viewLibrary(target.service, QUERIES);
    expect(after.docs).toEqual(before.docs);
    expect(after.texts).toEqual(before.texts);
    expect(after.searches).toEqual(before.searches);
    expect((await target.service.getStatus()).counts).toMatchObject({ documents: before.docs.length, vectors: backup.vectors, keywordChunks: backup.vectors });
    await target.service.close();
    expect(await storedChunks(targetDir, to)).toEqual(chunksBefore);

    // Restarted, it opens the restored library (the new generation is saved in settings).
    target = await startTestService(to, targetDir);
    expect((await viewLibrary(target.service, QUERIES.slice(0, 1))).docs).toEqual(before.docs);
    await target.service.close();
    return { sourceDir, targetDir };
  }

  it('embedded → embedded, replacing a library that was there, the previous one removed', async () => {
    const { targetDir } = await roundTrip({}, {}, { targetHasDocs: true });
    // One SQLite file: the restored generation's; the replaced kb.sqlite is gone.
    expect(readdirSync(targetDir).filter((f) => f.endsWith('.sqlite'))).toEqual([expect.stringMatching(/^kb-r[a-z0-9]+\.sqlite$/)]);
  });

  it('embedded → PostgreSQL + pgvector', async () => {
    await roundTrip({}, await pgEnv('backup_to_pgvector'), { targetHasDocs: true });
  });

  it('ChromaDB → embedded', async () => {
    await roundTrip(chromaEnv('backup-source'), {});
  });
});
