/**
 * `npm run bench:ingest [-- --files N]`: indexing a folder end to end on the embedded default
 * (SQLite + sqlite-vec + the bundled GloVe model), through the real core service.
 *
 * 1. Writes a deterministic mixed folder (test/helpers/documents.ts writeMixedCorpus: Markdown,
 *    text, HTML, multi-page PDF, .docx, CSV, JSON, TypeScript and Python in nested folders, from
 *    ~200 bytes to ~1 MB) into a temp dir: 1,000 files by default.
 * 2. Starts the service, waits for the model, calls ingestFiles on the folder and waits until
 *    every job of the batch has finished. Prints files done/failed/skipped, chunks, wall time,
 *    files/s, chunks/s and MB/s of input; per format, the time its files spent in each stage
 *    (from the service's ingestProgress events: parsing → embedding → storing → done); peak RSS
 *    (the whole process, worker threads included, sampled every 100 ms) and peak main-thread
 *    heap; and the event-loop delay of this thread (perf_hooks monitorEventLoopDelay), which must
 *    stay low because the service's thread also answers the UI.
 * 3. Runs ingestFiles again on the unchanged folder: every file is skipped; prints that pass's time.
 *
 * Figures are measured in one run and printed, never asserted.
 */
import os from 'node:os';
import { extname } from 'node:path';
import { kbContract } from '../core/api/contract';
import type { JobProgress } from '../core/api/types';
import { writeMixedCorpus, type MixedCorpus } from '../test/helpers/documents';
import { startTestService, type TestService } from '../test/helpers/service';
import { tempDir } from '../test/helpers/tempDir';
import { ingestPass, JobTimeline } from './shared/ingestPass';
import { BLOCKED_MS, type RunMonitor } from './shared/runMonitor';
import { f1, f2, mb } from './shared/stats';

const SEED = 'qckstrt-ingest-bench';
const MB = 1024 * 1024;
const log = (s = '') => console.log(s);
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 8) : String(c).padStart(widths[i] ?? 8))).join(' ');

function argInt(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const raw = at >= 0 ? process.argv[at + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
  const n = Number.parseInt(raw ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

interface FormatTimes {
  files: number;
  bytes: number;
  chunks: number;
  /** Seconds from `parsing` to `embedding` (read, hash, parse, chunk), to `storing` (embed), to done (store). */
  parse: number;
  embed: number;
  store: number;
  total: number;
  perFile: number[];
}

function timesByFormat(jobs: JobProgress[], timeline: JobTimeline, sizes: Map<string, number>): Map<string, FormatTimes> {
  const out = new Map<string, FormatTimes>();
  for (const job of jobs) {
    const t = timeline.at.get(job.jobId) ?? {};
    const end = t.done ?? t.failed ?? t.skipped;
    if (t.parsing === undefined || end === undefined) continue;
    const format = extname(job.fileName).slice(1).toLowerCase() || '(none)';
    const f = out.get(format) ?? { files: 0, bytes: 0, chunks: 0, parse: 0, embed: 0, store: 0, total: 0, perFile: [] };
    const embedAt = t.embedding ?? end;
    const storeAt = t.storing ?? end;
    f.files++;
    f.bytes += sizes.get(job.sourcePath ?? '') ?? 0;
    f.chunks += job.state === 'done' ? job.chunksTotal : 0;
    f.parse += (embedAt - t.parsing) / 1000;
    f.embed += (storeAt - embedAt) / 1000;
    f.store += (end - storeAt) / 1000;
    f.total += (end - t.parsing) / 1000;
    f.perFile.push(end - t.parsing);
    out.set(format, f);
  }
  return out;
}

/** The job and stage in progress at time t (jobs run one at a time), from the progress events. */
function activeAt(t: number, jobs: JobProgress[], timeline: JobTimeline): { job: JobProgress; stage: string } | undefined {
  for (const job of jobs) {
    const at = timeline.at.get(job.jobId) ?? {};
    const end = at.done ?? at.failed ?? at.skipped ?? at.cancelled;
    if (at.parsing === undefined || end === undefined || t < at.parsing || t > end) continue;
    const stage = at.storing !== undefined && t >= at.storing ? 'store' : at.embedding !== undefined && t >= at.embedding ? 'embed' : 'parse';
    return { job, stage };
  }
  return undefined;
}

/** Where the main thread was blocked: total per stage and the longest stalls with their file. */
function printStalls(monitor: RunMonitor, jobs: JobProgress[], timeline: JobTimeline, sizes: Map<string, number>): void {
  if (monitor.stalls.length === 0) return;
  const attributed = monitor.stalls.map((s) => ({ ms: s.to - s.from, at: activeAt((s.from + s.to) / 2, jobs, timeline) }));
  const byStage = new Map<string, { ms: number; n: number }>();
  for (const a of attributed) {
    const key = a.at ? `${a.at.stage} ${extname(a.at.job.fileName).slice(1)}` : 'between jobs';
    const v = byStage.get(key) ?? { ms: 0, n: 0 };
    byStage.set(key, { ms: v.ms + a.ms, n: v.n + 1 });
  }
  const stages = [...byStage.entries()].sort((a, b) => b[1].ms - a[1].ms);
  log(`main thread blocked > ${BLOCKED_MS} ms: ${attributed.length} times, ${f1(monitor.blockedMs / 1000)} s in all; by stage and format:`);
  log(`  ${stages.map(([k, v]) => `${k} ${f1(v.ms / 1000)} s (${v.n}×)`).join(', ')}`);
  // The first file of a format also pays for loading its parser (pdf.js is large) and warming it up.
  const firstOfFormat = new Set<string>();
  const seen = new Set<string>();
  const started = (j: JobProgress) => timeline.at.get(j.jobId)?.parsing ?? Infinity;
  for (const job of [...jobs].sort((a, b) => started(a) - started(b))) {
    const format = extname(job.fileName);
    if (!seen.has(format)) firstOfFormat.add(job.jobId);
    seen.add(format);
  }
  log('  longest:');
  for (const a of [...attributed].sort((x, y) => y.ms - x.ms).slice(0, 5)) {
    const first = a.at && firstOfFormat.has(a.at.job.jobId) ? `; the run's first ${extname(a.at.job.fileName)}: includes loading its parser` : '';
    const what = a.at
      ? `${a.at.stage} of ${a.at.job.fileName} (${((sizes.get(a.at.job.sourcePath ?? '') ?? 0) / 1024).toFixed(0)} KB, ${a.at.job.chunksTotal} chunks${first})`
      : 'between jobs';
    log(`    ${f1(a.ms).padStart(7)} ms  ${what}`);
  }
}

function printFormatTable(formats: Map<string, FormatTimes>): void {
  const w = [7, 6, 8, 8, 9, 9, 9, 9, 9, 10, 10];
  log(row(['format', 'files', 'MB', 'chunks', 'busy s', 'parse s', 'embed s', 'store s', 'MB/s', 'ms/file', 'p95 ms'], w));
  const sorted = [...formats.entries()].sort((a, b) => b[1].total - a[1].total);
  for (const [format, f] of sorted) {
    const per = [...f.perFile].sort((a, b) => a - b);
    const p95 = per[Math.min(per.length - 1, Math.floor(per.length * 0.95))] ?? 0;
    log(
      row(
        [format, f.files, mb(f.bytes), f.chunks, f1(f.total), f1(f.parse), f1(f.embed), f1(f.store), f2(f.bytes / MB / Math.max(1e-9, f.total)), f1((1000 * f.total) / f.files), f1(p95)],
        w,
      ),
    );
  }
}

function printCorpus(corpus: MixedCorpus, seconds: number): void {
  const sizes = corpus.files.map((f) => f.bytes).sort((a, b) => a - b);
  const at = (q: number) => sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))] ?? 0;
  log(`corpus: ${corpus.files.length} files, ${mb(corpus.totalBytes)} MB on disk, written in ${f1(seconds)} s (seed "${SEED}")`);
  log(`  sizes: min ${at(0)} B, p50 ${(at(0.5) / 1024).toFixed(1)} KB, p90 ${(at(0.9) / 1024).toFixed(1)} KB, max ${(at(1) / 1024).toFixed(0)} KB`);
  log(
    `  ${Object.entries(corpus.byFormat)
      .map(([format, { files, bytes }]) => `${format} ${files} (${mb(bytes)} MB)`)
      .join(', ')}`,
  );
}

async function main(): Promise<void> {
  const files = argInt('--files', 1000);
  const benchStart = performance.now();
  log(`Ingest benchmark: ${files} mixed files through the core service on the embedded default (SQLite + sqlite-vec + bundled GloVe model)`);
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, load average at start ${os.loadavg().map(f1).join(' ')}`);
  log(`RSS before: ${mb(process.memoryUsage().rss)} MB`);

  const folder = tempDir('qckstrt-bench-ingest-');
  let kb: TestService | undefined;
  try {
    const genStart = performance.now();
    const corpus = await writeMixedCorpus(folder.path, { files, seed: SEED });
    printCorpus(corpus, (performance.now() - genStart) / 1000);
    const sizes = new Map(corpus.files.map((f) => [f.path, f.bytes]));

    const startedAt = performance.now();
    kb = await startTestService();
    // Search waits for the model and the vector store: indexing below starts with both ready.
    await kb.service.search(kbContract.search.input.parse({ query: 'warm up the model', k: 1 }));
    log(`service started, model ready in ${f1((performance.now() - startedAt) / 1000)} s; RSS ${mb(process.memoryUsage().rss)} MB`);

    const timeline = new JobTimeline();

    // --- 1. First pass: everything is new ----------------------------------------------------
    log();
    log('1. index the folder (all new)');
    const first = await ingestPass(kb.service, [folder.path], timeline);
    const wallS = first.monitor.wallMs / 1000;
    const docs = await kb.service.listDocuments();
    const storedChunks = docs.reduce((n, d) => n + d.chunkCount, 0);
    log(
      `files: ${first.jobs.length} total, ${first.done} done, ${first.failed} failed, ${first.skipped} skipped` +
        (first.cancelled ? `, ${first.cancelled} cancelled` : '') +
        ` (corpus: ${corpus.files.length}; documents stored: ${docs.length})`,
    );
    log(`chunks: ${first.chunks} embedded (stored: ${storedChunks}), ${f1(first.chunks / Math.max(1, first.done))} per file`);
    log(
      `wall: ${f1(wallS)} s — ${f1(first.jobs.length / wallS)} files/s, ${f1(first.chunks / wallS)} chunks/s, ${f2(corpus.totalBytes / MB / wallS)} MB/s of input`,
    );
    first.monitor.summary().forEach((line) => log(line));
    printStalls(first.monitor, first.jobs, timeline, sizes);
    log();
    log('time per format (each file from "parsing" to its final state; stages from its progress events):');
    printFormatTable(timesByFormat(first.jobs, timeline, sizes));
    const failures = first.jobs.filter((j) => j.state === 'failed' || j.state === 'cancelled');
    if (failures.length) {
      log();
      log(`failed files (${failures.length}):`);
      for (const j of failures.slice(0, 20)) log(`  ${j.fileName}: ${j.error?.kind ?? j.state}: ${j.error?.message ?? j.note ?? ''}`);
    }

    // --- 2. Second pass: nothing changed -------------------------------------------------------
    log();
    log('2. index the same folder again (nothing changed)');
    const second = await ingestPass(kb.service, [folder.path], timeline);
    const wall2 = second.monitor.wallMs / 1000;
    log(
      `files: ${second.jobs.length} total, ${second.skipped} skipped, ${second.done} done, ${second.failed} failed` +
        ` — ${f2(wall2)} s wall, ${f1(second.jobs.length / wall2)} files/s, ${f2((1000 * wall2) / second.jobs.length)} ms per file`,
    );
    second.monitor.summary().forEach((line) => log(line));
  } finally {
    await kb?.dispose();
    folder.cleanup();
  }
  log();
  log(`benchmark took ${f1((performance.now() - benchStart) / 1000)} s; load average at end ${os.loadavg().map(f1).join(' ')}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
