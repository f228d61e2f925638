import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startFakeOllama, type FakeOllama } from '../services/fakeOllama';

describe('an Ollama model behind the service', () => {
  let ollama: FakeOllama;
  const files = tempDir();
  beforeAll(async () => {
    ollama = await startFakeOllama();
  });
  afterAll(async () => {
    await ollama?.dispose();
    files.cleanup();
  });

  it('indexes and searches with 768-d vectors from the Ollama server in the settings', async () => {
    const t = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'ollama/nomic-embed-text' });
    await t.service.updateSettings({ embedding: { ollamaUrl: ollama.url } });
    const jobs = await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    const res = await t.service.search({ query: 'anything', k: 2 });
    expect(res.hits).toHaveLength(2);
    const status = await t.service.getStatus();
    expect(status.embedding).toMatchObject({ modelId: 'ollama/nomic-embed-text', dimensions: 768, ready: true });
    expect(ollama.requests.some((r) => r.path === '/api/embed')).toBe(true);
    await t.dispose();
  });

  it('says how to start Ollama when it is not running', async () => {
    const t = await startTestService({ QCKSTRT_EMBEDDING_MODEL: 'ollama/nomic-embed-text' });
    await t.service.updateSettings({ embedding: { ollamaUrl: 'http://127.0.0.1:9' } });
    await expect(t.service.search({ query: 'x', k: 1 })).rejects.toMatchObject({ message: expect.stringContaining('ollama serve') });
    await t.dispose();
  });
});
