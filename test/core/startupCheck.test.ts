import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SettingsStore } from '../../core/config/settingsStore';
import { CLEAN_CLOSE_FILE } from '../../core/ops/reconcile';
import { openStores } from '../../core/service/providers';
import { ChromaVectorStore } from '../../core/vector/chroma/chromaStore';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';

/**
 * On ChromaDB, reading every vector's metadata takes seconds per 100k vectors, so a start after a
 * clean close must not do it; a start after anything else (a crash, a write from elsewhere) must.
 */
describe('start-up check of the stores on ChromaDB', { timeout: 120_000 }, () => {
  let chroma: ChromaService;
  const data = tempDir('qckstrt-startup-check-');
  const docs = tempDir('qckstrt-startup-check-docs-');
  let env: Record<string, string>;
  const marker = () => existsSync(join(data.path, CLEAN_CLOSE_FILE));
  const fullReads = vi.spyOn(ChromaVectorStore.prototype, 'documentChunkCounts');

  beforeAll(async () => {
    chroma = await startChroma();
    env = { VECTOR_DB_PROVIDER: 'chromadb', VECTOR_DB_CHROMA_URL: chroma.url, VECTOR_DB_CHROMA_COLLECTION: 'startup-check' };
  }, 60_000);
  afterAll(async () => {
    fullReads.mockRestore();
    await chroma?.dispose();
    data.cleanup();
    docs.cleanup();
  });

  it('a start after a clean close reads no vector metadata; the record is taken while the service runs', async () => {
    const first = await startTestService(env, data.path);
    await indexAndWait(first.service, writeFiles(docs.path, TOPICS));
    await first.service.close();
    expect(marker()).toBe(true);

    fullReads.mockClear();
    const second = await startTestService(env, data.path);
    // Taken at start: if this run died now, the next start would find none and check fully.
    expect(marker()).toBe(false);
    await second.service.idle();
    const status = await second.service.getStatus();
    expect(fullReads).not.toHaveBeenCalled();
    expect(status.mismatch).toBeUndefined();
    expect(status.counts.vectors).toBe(status.chunks);
    await second.service.close();
    expect(marker()).toBe(true);
  });

  it('vectors changed since the clean close (same totals): the next start reads them all and repairs', async () => {
    const settings = new SettingsStore(data.path, env).current();
    const stores = openStores(settings, data.path);
    await stores.relational.connect();
    await stores.vector.connect(100);
    const plants = (await stores.relational.listDocuments('local')).find((d) => d.name === 'plants.md')!;
    const removed = await stores.vector.deleteByDocument(plants.id);
    await stores.vector.upsert('local', 'ghost', Array.from({ length: removed }, (_, i) => ({ id: `ghost:${i}`, chunkIndex: i, embedding: new Float32Array(100).fill(0.1), content: 'ghost', charStart: 0, charEnd: 5 })));
    await stores.close();

    fullReads.mockClear();
    const third = await startTestService(env, data.path);
    await third.service.idle();
    expect(fullReads).toHaveBeenCalledTimes(1);
    const repair = (await third.service.listJobs()).find((j) => j.note?.includes('vectors were missing'));
    expect(repair).toMatchObject({ fileName: 'plants.md', state: 'done' });
    const status = await third.service.getStatus();
    expect(status.counts.vectors).toBe(status.chunks);
    await third.service.close();
  });

  it('no clean-close record (the last run stopped uncleanly): the next start reads every vector', async () => {
    const rm = await import('node:fs').then((fs) => fs.rmSync);
    rm(join(data.path, CLEAN_CLOSE_FILE)); // what a run that was killed leaves: no record
    fullReads.mockClear();
    const fourth = await startTestService(env, data.path);
    await fourth.service.idle();
    expect(fullReads).toHaveBeenCalledTimes(1);
    expect((await fourth.service.getStatus()).mismatch).toBeUndefined();
    await fourth.service.close();
  });
});
