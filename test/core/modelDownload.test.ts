import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ModelDownloadProgress } from '../../core/api/types';
import { RESOURCES_DIR } from '../../core/config/sourcePaths';
import { indexCommand } from '../../core/cli/commands';
import { writeFiles } from '../helpers/corpus';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startFakeHub, type FakeHub } from '../services/fakeHub';

describe('a model the user allowed to download', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub({ models: { 'test-org/glove': join(RESOURCES_DIR, 'models', 'qckstrt', 'glove-sg-100d') } });
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('is refused offline with what to do, then downloaded with progress into the user cache and used', async () => {
    const offline = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'test-org/glove' });
    await expect(offline.service.search({ query: 'x', k: 1 })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringContaining('Allow downloads'),
    });
    await offline.dispose();

    const t = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'test-org/glove' });
    // Allowed now (the library is empty, so the model may change).
    const events: ModelDownloadProgress[] = [];
    t.service.on('modelDownload', (p) => events.push(p));
    await t.service.updateSettings({ embedding: { allowDownload: true, hubUrl: hub.url } });
    const res = await t.service.search({ query: 'anything at all', k: 1 });
    expect(res.model).toBe('test-org/glove');
    expect(events.at(-1)).toMatchObject({ modelId: 'test-org/glove', done: true });
    expect(events.some((e) => e.file === 'onnx/model.onnx' && e.bytesTotal > 8_000_000)).toBe(true);
    const status = await t.service.getStatus();
    expect(status.embedding).toMatchObject({ ready: true, dimensions: 100, source: expect.stringContaining(join(t.dataDir, 'models')) });
    await t.dispose();
  });

  it('shows the download on the CLI progress line while indexing', async () => {
    const t = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'test-org/glove' });
    // Slow enough that the download is still running when indexing starts listening.
    hub.addFault({ file: 'onnx/model.onnx', bytesPerSecond: 8_000_000 });
    await t.service.updateSettings({ embedding: { allowDownload: true, hubUrl: hub.url } });
    const files = tempDir();
    const [path] = writeFiles(files.path, { 'a.md': 'Rivers flow to the sea.' });
    const lines: string[] = [];
    const code = await indexCommand(t.service, [path!], { json: false, k: 10 }, { out: () => {}, err: () => {}, progress: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines.some((l) => /^Downloading test-org\/glove: \d+% of 8 MB$/.test(l))).toBe(true);
    hub.clearFaults();
    await t.dispose();
    files.cleanup();
  });
});
