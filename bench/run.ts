/**
 * `npm run bench [-- --quick]`: every figure the product has a target for, measured in one run
 * and printed as one table (figure, target, met / not met), written to
 * bench-results/<YYYY-MM-DD>.json and bench-results/latest.json. Comparisons are ratios measured
 * side by side within this run; repeated latencies are reported as medians. Figures are printed,
 * never asserted. The detailed benches stay: bench:embed, bench:vectors, bench:ingest, bench:search.
 *
 * --quick: a reduced run (embedded store only, fewer repeats, 10k chunks) for under 5 minutes on
 * two shared cores. The full run adds the 100k-chunk library, ChromaDB and pgvector, and repeats.
 */
import os from 'node:os';
import { settingsSchema } from '../core/api/settings';
import { openSqlite } from '../core/relational/sqliteDatabase';
import { embeddedVectorStore } from '../core/relational/sqliteProvider';
import { PgDatabase } from '../core/relational/postgres/pgDatabase';
import { chromaVectorStore } from '../core/vector/chroma/chromaStore';
import { pgvectorStore } from '../core/vector/pgvector/pgvectorStore';
import { ensureTestModel } from '../scripts/build-test-models';
import { tempDir } from '../test/helpers/tempDir';
import { startChroma } from '../test/services/chroma';
import { pgSettingsOf, startPgvector } from '../test/services/pgvectorServer';
import { Results } from './shared/results';
import { f1, MB } from './shared/stats';
import { measureRecall, recallData, type RecallSetup } from './shared/vectorRecall';
import { mixedFolder } from './suite/corpus';
import { measureLibrary, MODES, type LibraryFigures } from './suite/library';
import { CLIENTS, measureLoad } from './suite/load';
import { measurePipeline } from './suite/pipeline';
import { measureStartup } from './suite/startup';
import { measureBackup } from './suite/backup';

const QUICK = process.argv.includes('--quick');
const BUNDLED = 'qckstrt/glove-sg-100d';
const plan = QUICK
  ? { pipelineChunks: 1200, minilmChunks: 150, repeats: 1, queries: 30, rounds: 3, startups: 2, loadWindowMs: 15_000, loadRepeats: 1, big: false }
  : { pipelineChunks: 3000, minilmChunks: 1000, repeats: 3, queries: 50, rounds: 5, startups: 3, loadWindowMs: 30_000, loadRepeats: 3, big: true };

const results = new Results();
const log = (s = '') => console.log(s);
const benchStart = performance.now();
const elapsed = () => `${f1((performance.now() - benchStart) / 1000)} s`;

/** Runs one part; a failure becomes a "not measured" row and the run goes on. */
async function part(section: string, name: string, fn: () => Promise<void>): Promise<void> {
  log(`[${elapsed()}] ${section}: ${name}…`);
  try {
    await fn();
  } catch (err) {
    const why = (err as Error).message.split('\n')[0] ?? String(err);
    console.error(`  ${section} ${name} failed: ${why}`);
    results.skipped(section, name, `failed: ${why}`);
  }
}

function pipelineRows(label: string, model: string, root: string, repeats: number) {
  return part('ingestion', label, async () => {
    const p = await measurePipeline(model, root, repeats);
    const n = p.runs[0];
    const size = n ? `${n.files} files, ${n.chunks} chunks` : '';
    results.add({ section: 'ingestion', name: `${label}: chunks/s, folder to searchable`, value: p.chunksPerS, unit: '/s', note: `${size}; median of ${repeats}`, detail: p });
    results.add({ section: 'ingestion', name: `${label}: files/s`, value: p.filesPerS, unit: '/s' });
    results.add({ section: 'ingestion', name: `${label}: pipeline ÷ raw embedding`, value: p.vsRaw, unit: '×', target: { op: '>=', value: 0.95 }, note: 'same chunks, WorkerEmbedder alone' });
    results.add({ section: 'ingestion', name: `${label}: pipeline ÷ one chunk per call`, value: p.vsSingle, unit: '×', target: { op: '>=', value: 1.5 }, note: 'same pipeline, embed() one text at a time' });
  });
}

function libraryRows(lib: LibraryFigures, label: string, hybridP95: number) {
  for (const mode of MODES) {
    const l = lib.latency[mode];
    const note = `median of ${l.rounds.length} rounds × ${lib.queries} queries`;
    results.add({ section: 'search', name: `${mode} p50 @ ${label}`, value: l.median.p50, unit: 'ms', note, detail: l });
    results.add({ section: 'search', name: `${mode} p95 @ ${label}`, value: l.median.p95, unit: 'ms', ...(mode === 'hybrid' ? { target: { op: '<=' as const, value: hybridP95 } } : {}) });
    results.add({ section: 'search', name: `${mode} p99 @ ${label}`, value: l.median.p99, unit: 'ms' });
  }
}

async function recallRows(setup: RecallSetup, withServers: boolean) {
  const data = recallData(setup);
  const row = (r: Awaited<ReturnType<typeof measureRecall>>) => {
    results.add({ section: 'search', name: `recall@10 per user, ${r.provider}`, value: r.recall, unit: '', target: { op: '>=', value: 0.98 }, note: `${setup.n} × ${setup.dims}-d, ${setup.users} users; query p95 ${f1(r.p95)} ms`, detail: r });
  };
  await part('search', 'recall, embedded', async () => {
    const dir = tempDir('qckstrt-bench-recall-');
    const db = openSqlite(`${dir.path}/kb.sqlite`);
    try {
      row(await measureRecall('embedded', embeddedVectorStore(db), setup, data));
    } finally {
      db.close();
      dir.cleanup();
    }
  });
  if (!withServers) {
    results.skipped('search', 'recall, ChromaDB and pgvector', 'full run only');
    return;
  }
  const vectorSettings = (url = 'http://127.0.0.1:8001') => settingsSchema.parse({ vector: { chromaUrl: url, chromaCollection: 'bench' } }).vector;
  await part('search', 'recall, ChromaDB', async () => {
    const chroma = await startChroma();
    try {
      const c = chromaVectorStore(vectorSettings(chroma.url));
      row(await measureRecall('chromadb', c, setup, data));
      await c.close();
    } finally {
      await chroma.dispose();
    }
  });
  await part('search', 'recall, pgvector', async () => {
    const pg = await startPgvector();
    try {
      const db = new PgDatabase(pgSettingsOf(pg));
      row(await measureRecall('pgvector', pgvectorStore(db, vectorSettings()), setup, data));
      await db.close();
    } finally {
      await pg.dispose();
    }
  });
}

async function startupRows(dataDir: string, label: string, repeats: number) {
  await part('start-up', label, async () => {
    const s = await measureStartup(dataDir, repeats);
    const note = `median of ${repeats}`;
    results.add({ section: 'start-up', name: `${label}: spawn → getStatus answers`, value: s.statusMs / 1000, unit: 's', note, detail: s });
    results.add({ section: 'start-up', name: `${label}: spawn → hybrid search answers`, value: s.searchMs / 1000, unit: 's', note: 'model loaded, vector store connected' });
    results.add({ section: 'start-up', name: `${label}: spawn → reconciled`, value: s.reconciledMs / 1000, unit: 's', target: { op: '<=', value: 2 }, note: 'reconcileStores answers (waits for start-up reconciliation, then checks again)' });
    results.add({ section: 'memory', name: `RSS at rest, ${label}`, value: s.restRss / MB, unit: 'MB', note: 'server process and its children, 2 s after answering' });
  });
}

async function backupRows(dataDir: string, label: string, cleanups: (() => void)[]) {
  await part('backup', label, async () => {
    const b = await measureBackup(dataDir);
    cleanups.push(b.cleanup);
    const note = 'kb command from spawn to exit (service start and model load included)';
    results.add({ section: 'backup', name: `${label}: kb backup`, value: b.backup.ms / 1000, unit: 's', note: `${note}; archive ${f1(b.archiveBytes / MB)} MB`, detail: b });
    results.add({ section: 'backup', name: `${label}: kb restore into an empty folder`, value: b.restore.ms / 1000, unit: 's', note: 'verify every entry, write, count, switch' });
    results.add({ section: 'memory', name: `peak RSS of kb backup, ${label}`, value: b.backup.peakRss / MB, unit: 'MB', target: { op: '<=', value: 600 }, note: 'streamed: must not grow with the library' });
    results.add({ section: 'memory', name: `peak RSS of kb restore, ${label}`, value: b.restore.peakRss / MB, unit: 'MB', target: { op: '<=', value: 600 } });
  });
}

async function main(): Promise<void> {
  log(`npm run bench${QUICK ? ' -- --quick' : ''}: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, load average ${os.loadavg().map(f1).join(' ')}`);
  const empty = tempDir('qckstrt-bench-empty-');
  const cleanups: (() => void)[] = [empty.cleanup];
  try {
    // Ingestion, memory and responsiveness while indexing ~10k chunks, search at 10k.
    let lib10k: LibraryFigures | undefined;
    await part('ingestion', 'index ~10k chunks', async () => {
      lib10k = await measureLibrary(10_000, { queries: plan.queries, rounds: plan.rounds });
      cleanups.push(lib10k.cleanup);
      const l = lib10k;
      results.add({ section: 'ingestion', name: 'bundled model: chunks/s, ~10k chunks', value: l.chunksPerS, unit: '/s', note: `${l.files} files (${l.failed} failed), ${l.chunks} chunks, one pass` });
      results.add({ section: 'ingestion', name: 'bundled model: files/s, ~10k chunks', value: l.filesPerS, unit: '/s' });
      results.add({ section: 'memory', name: 'peak RSS while indexing ~10k chunks', value: l.peakTreeRss / MB, unit: 'MB', target: { op: '<=', value: 600 }, note: `process + worker threads + child processes; ${f1(l.rssBefore / MB)} MB before indexing` });
      results.add({ section: 'responsiveness', name: 'event-loop delay p99 while indexing', value: l.loopP99Ms, unit: 'ms', target: { op: '<=', value: 50 }, note: `service's thread; max ${f1(l.loopMaxMs)} ms` });
      libraryRows(l, '10k', 30);
    });
    const folder = await mixedFolder(plan.pipelineChunks, 'qckstrt-bench-pipeline');
    cleanups.push(folder.cleanup);
    await pipelineRows('bundled model', BUNDLED, folder.root, plan.repeats);
    await part('ingestion', 'MiniLM-L6-shaped model', async () => {
      const model = ensureTestModel('minilm-l6-shape');
      const small = await mixedFolder(plan.minilmChunks, 'qckstrt-bench-minilm');
      cleanups.push(small.cleanup);
      await pipelineRows('MiniLM-L6 shape', model.dir, small.root, plan.repeats);
    });

    await recallRows({ n: 10_000, dims: 384, users: 10, perDoc: 20, queries: 100 }, plan.big);

    await startupRows(empty.path, 'empty library', plan.startups);
    if (lib10k) await startupRows(lib10k.dataDir, `${Math.round(lib10k.chunks / 1000)}k chunks`, plan.startups);
    if (lib10k) await backupRows(lib10k.dataDir, `${Math.round(lib10k.chunks / 1000)}k chunks`, cleanups);

    if (plan.big) {
      await part('search', 'index ~100k chunks', async () => {
        const big = await measureLibrary(100_000, { queries: plan.queries, rounds: plan.rounds });
        cleanups.push(big.cleanup);
        results.add({ section: 'ingestion', name: 'bundled model: chunks/s, ~100k chunks', value: big.chunksPerS, unit: '/s', note: `${big.files} files, ${big.chunks} chunks` });
        results.add({ section: 'memory', name: 'peak RSS while indexing ~100k chunks', value: big.peakTreeRss / MB, unit: 'MB', note: 'process + worker threads + child processes' });
        libraryRows(big, '100k', 60);
        await startupRows(big.dataDir, `${Math.round(big.chunks / 1000)}k chunks`, plan.startups);
        await backupRows(big.dataDir, `${Math.round(big.chunks / 1000)}k chunks`, cleanups);
      });
    } else {
      results.skipped('search', 'latency @ 100k, start-up and RSS at 100k', 'full run only');
    }

    await part('load', `${CLIENTS} concurrent searches while indexing`, async () => {
      const loadFolder = await mixedFolder((plan.loadWindowMs / 1000) * 400, 'qckstrt-bench-load');
      cleanups.push(loadFolder.cleanup);
      const l = await measureLoad(loadFolder.root, plan.loadWindowMs, plan.loadRepeats);
      const searches = l.runs.reduce((n, r) => n + r.searches, 0);
      const note = `${plan.loadWindowMs / 1000} s windows × ${plan.loadRepeats}, ${searches} searches answered`;
      results.add({ section: 'load', name: 'failed searches', value: l.failures, unit: '', target: { op: '<=', value: 0 }, note, detail: l });
      results.add({ section: 'load', name: 'search p50 under load', value: l.p50, unit: 'ms', note: 'hybrid over HTTP, median of windows' });
      results.add({ section: 'load', name: 'search p95 under load', value: l.p95, unit: 'ms' });
      results.add({ section: 'load', name: 'indexing with ÷ without searches', value: l.fairness, unit: '×', note: 'chunks embedded in the same window (fairness)' });
    });
  } finally {
    for (const c of cleanups.reverse()) c();
  }

  log();
  log(results.table());
  const file = results.write('bench-results', {
    quick: QUICK,
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim(),
    node: process.version,
    loadAverageAtEnd: os.loadavg(),
    seconds: (performance.now() - benchStart) / 1000,
  });
  log(`\nwrote ${file} and bench-results/latest.json in ${elapsed()}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
