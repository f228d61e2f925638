import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../core/config/settingsStore';
import { openStores } from '../../core/service/providers';
import { LOCAL_USER } from '../../core/service/kbService';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/** The stores of a data folder, opened directly (the service is not running). */
async function openData(dataDir: string) {
  const stores = openStores(new SettingsStore(dataDir, {}).current(), dataDir);
  await stores.relational.connect();
  await stores.vector.connect(100); // the bundled GloVe model's dimension
  return stores;
}

describe('start-up reconciliation of the relational and vector stores', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('removes orphaned vectors and re-embeds documents whose vectors are missing', async () => {
    const data = tempDir('qckstrt-reconcile-');
    const docs = tempDir('qckstrt-reconcile-docs-');
    cleanups.push(data.cleanup, docs.cleanup);
    writeFiles(docs.path, TOPICS);

    const first = await startTestService({}, data.path);
    await first.service.ingestFiles({ paths: [docs.path] });
    await first.service.idle();
    const plants = (await first.service.listDocuments()).find((d) => d.name === 'plants.md');
    await first.service.close();
    expect(plants).toBeDefined();

    // What a crash between the two stores leaves behind: one document without its vectors, and
    // vectors of a document that no longer has a row.
    const orphan = randomUUID();
    let stores = await openData(data.path);
    await stores.vector.deleteByDocument(plants!.id);
    await stores.vector.upsert(LOCAL_USER.id, orphan, [
      { id: `${orphan}:0`, chunkIndex: 0, embedding: new Float32Array(100).fill(0.1), content: 'ghost', charStart: 0, charEnd: 5 },
    ]);
    await stores.close();

    const second = await startTestService({}, data.path);
    await second.service.idle();
    const repair = (await second.service.listJobs()).find((j) => j.note?.includes('vectors were missing'));
    expect(repair).toMatchObject({ fileName: 'plants.md', state: 'done', documentId: plants!.id });
    const hits = await second.service.search({ query: 'how do green plants turn sunlight into food', k: 4 });
    expect(hits.hits[0]?.documentName).toBe('plants.md');
    expect(hits.hits.some((h) => h.snippet.includes('ghost'))).toBe(false);
    await second.service.close();

    stores = await openData(data.path);
    const rows = await stores.relational.documentChunkCounts();
    const vectors = await stores.vector.documentChunkCounts();
    expect(vectors).toEqual(rows);
    expect(vectors.has(orphan)).toBe(false);
    await stores.close();

    // A clean start finds nothing to do.
    const third = await startTestService({}, data.path);
    await third.service.idle();
    expect((await third.service.listJobs()).filter((j) => j.note?.includes('vectors were missing'))).toHaveLength(1);
    await third.service.close();
  });
});
