import { afterEach, describe, expect, it } from 'vitest';
import type { IngestStats, JobProgress } from '../../core/api/types';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const long = (topic: string, paragraphs: number) => Array.from({ length: paragraphs }, (_, i) => `${topic} (part ${i}).`).join('\n\n');

describe('ingestion control: pause, resume, cancel, progress', () => {
  let t: TestService | undefined;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  const folder = (files: Record<string, string>) => {
    const d = tempDir('qckstrt-control-');
    dirs.push(d);
    writeFiles(d.path, files);
    return d.path;
  };

  it('pauses before the next file, resumes, and reports throughput and the end of the run', async () => {
    t = await startTestService();
    const { service } = t;
    await service.modelReady();
    const stats: IngestStats[] = [];
    service.on('ingestStats', (s) => stats.push(s));
    expect((await service.pauseIngest()).paused).toBe(true);
    const root = folder({ 'a.md': TOPICS['plants.md'], 'b.md': TOPICS['football.txt'], 'c.md': TOPICS['cooking.md'] });
    const accepted = await service.ingestFiles({ paths: [root] });
    await new Promise((r) => setTimeout(r, 500));
    const status = await service.getStatus();
    expect(status.ingest).toMatchObject({ paused: true, filesDone: 0, filesTotal: 3 });
    expect((await service.listJobs()).filter((j) => j.batchId === accepted.batchId).every((j) => j.state === 'queued')).toBe(true);

    expect((await service.resumeIngest()).paused).toBe(false);
    await service.idle();
    const last = stats[stats.length - 1];
    expect(last).toMatchObject({ paused: false, filesDone: 3, filesTotal: 3, failed: 0, etaSeconds: 0 });
    expect(last?.chunksEmbedded).toBeGreaterThanOrEqual(3);
    expect(stats.some((s) => s.paused)).toBe(true);
    expect((await service.listDocuments()).length).toBe(3);
  });

  it('cancels a whole batch while paused: nothing from it is indexed', async () => {
    t = await startTestService();
    const { service } = t;
    await service.pauseIngest();
    const accepted = await service.ingestFiles({ paths: [folder({ 'a.md': TOPICS['plants.md'], 'b.md': TOPICS['taxes.txt'] })] });
    expect(await service.cancelIngest({ batchId: accepted.batchId })).toEqual({ cancelled: 2 });
    await service.resumeIngest();
    await service.idle();
    const jobs = (await service.listJobs()).filter((j) => j.batchId === accepted.batchId);
    expect(jobs.map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
    expect(await service.listDocuments()).toEqual([]);
    expect((await service.getStatus()).ingest).toMatchObject({ filesDone: 2, filesTotal: 2, failed: 0 });
  });

  it('cancels the file being embedded at its next step, writing none of its vectors, and goes on with the rest', async () => {
    t = await startTestService();
    const { service } = t;
    await service.modelReady();
    const root = folder({ 'big.md': long(TOPICS['taxes.txt'], 400), 'small.md': TOPICS['plants.md'] });
    let bigJob: JobProgress | undefined;
    // Pause as soon as the big file starts embedding, so the cancel lands mid-file, deterministically.
    const off = service.on('ingestProgress', (p) => {
      if (p.fileName === 'big.md' && p.state === 'embedding' && p.chunksDone > 0 && !bigJob) {
        bigJob = p;
        void service.pauseIngest();
      }
    });
    await service.ingestFiles({ paths: [root] });
    await expect.poll(() => bigJob, { timeout: 20_000 }).toBeDefined();
    expect(bigJob!.chunksDone).toBeLessThan(bigJob!.chunksTotal);
    expect(await service.cancelIngest({ jobId: bigJob!.jobId })).toEqual({ cancelled: 1 });
    await service.resumeIngest();
    await service.idle();
    off();
    const jobs = await service.listJobs();
    expect(jobs.find((j) => j.fileName === 'big.md')?.state).toBe('cancelled');
    expect(jobs.find((j) => j.fileName === 'small.md')?.state).toBe('done');
    expect((await service.listDocuments()).map((d) => d.name)).toEqual(['small.md']);
    expect((await service.getStatus()).chunks).toBe((await service.listDocuments())[0]?.chunkCount);
  });

  it('shows where each hit sits: heading path and pages', async () => {
    t = await startTestService();
    const { service } = t;
    const root = folder({
      'guide.md': `# Garden guide\n\n## Leaves\n\n${TOPICS['plants.md'].replace('# Photosynthesis', '').repeat(6)}\n\n## Sport\n\n${TOPICS['football.txt'].repeat(6)}`,
    });
    await service.ingestFiles({ paths: [root] });
    await service.idle();
    const res = await service.search({ query: 'how do green plants turn sunlight into food', k: 3 });
    expect(res.hits[0]?.location?.headingPath).toEqual(['Garden guide', 'Leaves']);
  });
});
