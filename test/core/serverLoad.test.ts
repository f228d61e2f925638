import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const FILES = 1_000;
const CLIENTS = 20;
const QUERIES = ['how do plants make food from sunlight', 'tax deduction', 'football match', 'recipe with garlic', 'release checklist'];

/**
 * Load: 20 clients search the headless server over HTTP, each as fast as it is answered, while the
 * same server indexes 1,000 files. No search may fail, and indexing must finish meanwhile.
 * Latency and throughput are figures for the benchmark, printed here, not asserted.
 */
describe('20 concurrent searches while the server indexes 1,000 files', { timeout: 300_000 }, () => {
  const files = tempDir('qckstrt-load-');
  let t: TestService | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
    files.cleanup();
  });

  it('answers every search and finishes indexing', async () => {
    t = await startTestService();
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    const topics = Object.values(TOPICS);
    const corpus: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) corpus[join(`part-${i % 10}`, `note-${i}.md`)] = `# Note ${i}\n\n${topics[i % topics.length]}\n\nReference ${i}.`;
    writeFiles(files.path, corpus);
    // Something to find from the first search on.
    await t.service.ingestFiles({ paths: [join(files.path, 'part-0')] });
    await t.service.idle();

    const { port, token } = server;
    const search = async (query: string): Promise<{ ok: boolean; ms: number; error?: string }> => {
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query, mode: 'hybrid', k: 5 }),
        });
        const body = (await res.json()) as { ok: boolean; error?: { message: string } };
        return { ok: res.status === 200 && body.ok, ms: performance.now() - started, ...(body.error ? { error: body.error.message } : {}) };
      } catch (err) {
        return { ok: false, ms: performance.now() - started, error: String(err) };
      }
    };

    const started = performance.now();
    await t.service.ingestFiles({ paths: [files.path] });
    let indexing = true;
    const finished = t.service.idle().then(() => {
      indexing = false;
    });
    const results: { ok: boolean; ms: number; error?: string }[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let q = c; indexing; q++) results.push(await search(QUERIES[q % QUERIES.length]!));
      }),
    );
    await finished;
    const indexMs = performance.now() - started;

    const failures = results.filter((r) => !r.ok);
    expect(failures.slice(0, 3), `${failures.length} of ${results.length} searches failed`).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(CLIENTS);
    const jobs = await t.service.listJobs();
    expect(jobs.filter((j) => j.state !== 'done' && j.state !== 'skipped')).toEqual([]);
    expect((await t.service.listDocuments()).length).toBe(FILES);

    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!.toFixed(0);
    console.log(
      `load: ${results.length} searches by ${CLIENTS} clients, 0 failed, p50 ${pct(50)} ms, p95 ${pct(95)} ms; ` +
        `${FILES} files indexed meanwhile in ${(indexMs / 1000).toFixed(1)} s`,
    );
  });
});
