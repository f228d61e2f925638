import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FINISHED_JOB_STATES } from '../../core/api/types';
import { KEYWORD_INDEX_VERSION } from '../../core/search/keywordText';
import { startTestService, type TestService } from '../../test/helpers/service';
import { tempDir } from '../../test/helpers/tempDir';

export interface Library extends TestService {
  /** Corpus-relative path of each document id. */
  pathOf: Map<string, string>;
  documents: number;
  chunks: number;
  indexSeconds?: number;
}

export interface LibraryOptions {
  /** The corpus root (from ensureCorpus). */
  root: string;
  /** How many copies of the corpus to index (for latency at a larger size); 1 by default. */
  copies?: number;
  /** Keep the indexed library in this folder and reuse it when it matches (for tuning runs). */
  cacheDir?: string;
  env?: Record<string, string | undefined>;
  /** settings.json to start with (e.g. other chunk sizes), before anything is indexed. */
  settings?: Record<string, unknown>;
}

/**
 * The corpus indexed through the real service (SQLite + sqlite-vec, the configured model). With
 * `copies` > 1 the corpus is indexed again from copies in other folders, so the library grows
 * with real text; only the first copy's documents are mapped to corpus paths.
 */
export async function openLibrary(opts: LibraryOptions): Promise<Library> {
  const copies = opts.copies ?? 1;
  const stamp = JSON.stringify({ copies, keywords: KEYWORD_INDEX_VERSION, root: opts.root, env: opts.env ?? {}, settings: opts.settings ?? {} });
  const stampFile = opts.cacheDir && join(opts.cacheDir, 'library.json');
  const reuse = stampFile && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (opts.cacheDir && !reuse) {
    rmSync(opts.cacheDir, { recursive: true, force: true });
    mkdirSync(opts.cacheDir, { recursive: true });
  }
  const dataDir = opts.cacheDir ?? (opts.settings ? tempDir().path : undefined);
  if (dataDir && opts.settings && !reuse) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(opts.settings));
  }
  const t = await startTestService(opts.env ?? {}, dataDir);
  await t.service.modelReady();
  let indexSeconds: number | undefined;
  if (!reuse) {
    const roots = [opts.root];
    for (let i = 1; i < copies; i++) {
      const copy = join(t.dataDir, 'copies', String(i));
      cpSync(opts.root, copy, { recursive: true });
      roots.push(copy);
    }
    const started = performance.now();
    const accepted = await t.service.ingestFiles({ paths: roots });
    await t.service.idle();
    indexSeconds = (performance.now() - started) / 1000;
    const jobs = (await t.service.listJobs()).filter((j) => j.batchId === accepted.batchId);
    const failed = jobs.filter((j) => j.state === 'failed');
    if (failed.length) console.warn(`${failed.length} file(s) failed to index, e.g. ${failed[0]?.fileName}: ${failed[0]?.error?.message}`);
    if (jobs.some((j) => !FINISHED_JOB_STATES.includes(j.state))) throw new Error('Indexing did not finish');
    if (stampFile) writeFileSync(stampFile, stamp);
  }
  const docs = await t.service.listDocuments();
  const pathOf = new Map<string, string>();
  for (const d of docs) {
    if (d.sourcePath && !relative(opts.root, d.sourcePath).startsWith('..')) pathOf.set(d.id, relative(opts.root, d.sourcePath).split('\\').join('/'));
  }
  return {
    ...t,
    pathOf,
    documents: docs.length,
    chunks: docs.reduce((n, d) => n + d.chunkCount, 0),
    ...(indexSeconds !== undefined ? { indexSeconds } : {}),
    dispose: opts.cacheDir ? () => t.service.close() : t.dispose,
  };
}
