import { FINISHED_JOB_STATES, type JobProgress } from '../api/types';
import { KbError } from '../api/errors';
import type { KbServiceImpl } from '../service';
import { EXIT } from './exitCodes';
import { renderProgress } from './progressBar';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Rewrites the current progress line (stderr, TTY only). */
  progress?: (line: string) => void;
}

export interface CommandOptions {
  json: boolean;
  k: number;
}

const kb = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export async function indexCommand(service: KbServiceImpl, paths: string[], opts: CommandOptions, io: Io): Promise<number> {
  const jobs = new Map<string, JobProgress>();
  let batchId: string | undefined;
  const early: JobProgress[] = [];
  const draw = () => {
    if (!io.progress) return;
    const all = [...jobs.values()];
    const current = all.find((j) => !FINISHED_JOB_STATES.includes(j.state) && j.state !== 'queued');
    io.progress(
      renderProgress({
        filesDone: all.filter((j) => FINISHED_JOB_STATES.includes(j.state)).length,
        filesTotal: all.length,
        failed: all.filter((j) => j.state === 'failed').length,
        chunksDone: all.reduce((n, j) => n + j.chunksDone, 0),
        ...(current ? { current: current.fileName } : {}),
      }, process.stderr.columns || 80),
    );
  };
  const off = service.on('ingestProgress', (p) => {
    if (batchId === undefined) early.push(p);
    else if (p.batchId === batchId) {
      jobs.set(p.jobId, p);
      draw();
    }
  });
  // A model the user allowed to download is fetched before the first chunk is embedded.
  const offDownload = service.on('modelDownload', (d) => {
    if (!d.done && d.bytesTotal) io.progress?.(`Downloading ${d.modelId}: ${Math.floor((d.bytesDone / d.bytesTotal) * 100)}% of ${(d.bytesTotal / 1048576).toFixed(0)} MB`);
  });
  try {
    const accepted = await service.ingestFiles({ paths });
    batchId = accepted.batchId;
    for (const j of [...accepted.jobs, ...early.filter((p) => p.batchId === accepted.batchId)]) jobs.set(j.jobId, j);
    draw();
    await service.idle();
  } finally {
    off();
    offDownload();
  }
  io.progress?.('');
  const all = [...jobs.values()];
  const failed = all.filter((j) => j.state === 'failed');
  if (opts.json) {
    io.out(JSON.stringify({ batchId, jobs: all }, null, 2));
  } else {
    for (const j of all) {
      const what = j.state === 'failed' ? `failed: ${j.error?.message}` : j.state === 'skipped' ? `skipped (${j.note})` : `${j.chunksTotal} chunks`;
      io.out(`${j.state === 'failed' ? '✗' : '✓'} ${j.sourcePath ?? j.fileName} — ${what}`);
    }
    const count = (state: string) => all.filter((j) => j.state === state).length;
    const parts = [`${count('done')} indexed`, count('skipped') && `${count('skipped')} unchanged`, failed.length && `${failed.length} failed`];
    io.out(`${all.length} files: ${parts.filter(Boolean).join(', ')}.`);
  }
  return failed.length ? EXIT.partial : EXIT.ok;
}

export async function searchCommand(service: KbServiceImpl, query: string, opts: CommandOptions, io: Io): Promise<number> {
  const res = await service.search({ query, k: opts.k });
  if (opts.json) {
    io.out(JSON.stringify(res, null, 2));
    return EXIT.ok;
  }
  if (!res.hits.length) io.out('No results. Index some files first: kb index <paths…>');
  res.hits.forEach((h, i) => {
    io.out(`${i + 1}. ${h.documentName}  (${(h.score * 100).toFixed(1)}%)`);
    io.out(`   ${h.snippet}`);
  });
  return EXIT.ok;
}

export async function docsCommand(service: KbServiceImpl, opts: CommandOptions, io: Io): Promise<number> {
  const docs = await service.listDocuments();
  if (opts.json) io.out(JSON.stringify(docs, null, 2));
  else if (!docs.length) io.out('No documents yet. Index some: kb index <paths…>');
  else for (const d of docs) io.out(`${d.id}  ${d.name}  ${kb(d.size)}  ${d.chunkCount} chunks`);
  return EXIT.ok;
}

export async function deleteCommand(service: KbServiceImpl, id: string, opts: CommandOptions, io: Io): Promise<number> {
  const res = await service.deleteDocument({ id });
  io.out(opts.json ? JSON.stringify(res) : `Deleted ${id}.`);
  return EXIT.ok;
}

export async function statusCommand(service: KbServiceImpl, opts: CommandOptions, io: Io): Promise<number> {
  // Wait (a little) for the model so the status can say whether it loads.
  await Promise.race([service.modelReady(), new Promise((r) => setTimeout(r, 15_000))]);
  const s = await service.getStatus();
  if (opts.json) {
    io.out(JSON.stringify(s, null, 2));
  } else {
    const health = (h: typeof s.relational) => `${h.provider}: ${h.available ? 'available' : 'UNAVAILABLE'} (${h.latencyMs.toFixed(1)} ms)${h.message ? ` — ${h.message}` : ''}`;
    io.out(`qckstrt ${s.version} — data in ${s.dataDir}`);
    io.out(`relational ${health(s.relational)}`);
    io.out(`vector     ${health(s.vector)}`);
    io.out(`model      ${s.embedding.modelId} (${s.embedding.dimensions}-d) ${s.embedding.ready ? 'ready' : `not ready${s.embedding.message ? `: ${s.embedding.message}` : ''}`}`);
    io.out(`library    ${s.documents} documents, ${s.chunks} chunks`);
  }
  const ok = s.relational.available && s.vector.available && s.embedding.ready;
  return ok ? EXIT.ok : EXIT.unavailable;
}

export function requireArg(value: string | undefined, usage: string): string {
  if (!value) throw new KbError('ValidationError', `Missing argument. Usage: ${usage}`);
  return value;
}
