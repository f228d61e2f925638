/**
 * Choosing the opt-in bundled model qckstrt/glove-sg-100d-v2 through the service: it is listed as
 * installed, and picking it re-indexes the library in the background (test/core/reindex.test.ts
 * covers that flow in depth), after which search runs on it with its own search defaults.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ReindexStatus } from '../../core/api/types';
import { searchTuningFor } from '../../core/search/searchTuning';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const V2 = 'qckstrt/glove-sg-100d-v2';

describe('choosing qckstrt/glove-sg-100d-v2', () => {
  const files = tempDir();
  afterAll(() => files.cleanup());

  it('is offered as installed, and switching to it re-indexes the library with it', async () => {
    const t = await startTestService();
    try {
      expect((await t.service.listModels()).find((m) => m.id === V2)).toMatchObject({ installed: true, active: false, dimensions: 100, maxTokens: 512 });
      await indexAndWait(t.service, writeFiles(files.path, { ...TOPICS, 'code.md': 'Run getUserName before readFileSync opens the lockfile.\n' }));
      const finished = new Promise<ReindexStatus>((resolve) => t.service.on('reindexProgress', (p) => p.state !== 'running' && resolve(p)));

      await t.service.updateSettings({ embedding: { model: V2 } });
      expect(await finished).toMatchObject({ state: 'done', done: 5, total: 5, model: V2 });
      expect((await t.service.getStatus()).embedding).toMatchObject({ modelId: V2, dimensions: 100 });
      expect((await t.service.listModels()).find((m) => m.active)?.id).toBe(V2);

      const meaning = await t.service.search({ query: 'who won the championship game', k: 1, mode: 'vector' });
      expect(meaning.model).toBe(V2);
      expect(meaning.hits[0]?.documentName).toBe('football.txt');
      // Only v2 reads the identifiers' words.
      const identifiers = await t.service.search({ query: 'the name of the user and the file lock', k: 1, mode: 'vector' });
      expect(identifiers.hits[0]?.documentName).toBe('code.md');
      expect(searchTuningFor(V2)).toMatchObject({ vectorWeight: 0.5, cosineFloor: 0.45, cosineCeiling: 0.95 });
    } finally {
      await t.dispose();
    }
  });
});
