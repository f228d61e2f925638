import { randomUUID } from 'node:crypto';
import type { SearchFilters, SearchHit, SearchMode } from '../api/search';
import { FINISHED_JOB_STATES, type IngestStats, type JobProgress } from '../api/types';
import { formatLocation } from '../util/formatLocation';
import { KbError } from '../api/errors';
import type { KbServiceImpl } from '../service';
import { describeHolder } from '../service/libraryLock';
import { EXIT } from './exitCodes';
import { attachKeyControls, KEY_HELP, type KeyInput } from './keyControls';
import { renderProgress } from './progressBar';
import { formatStatus } from './statusReport';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Rewrites the current progress line (stderr, TTY only). */
  progress?: (line: string) => void;
  /** Writes without a line break (an answer as it streams). */
  write?: (text: string) => void;
  /** Mark matched words with terminal styles (stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
}

export interface CommandOptions {
  json: boolean;
  k: number;
}

const kb = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export interface IndexOptions extends CommandOptions {
  include?: string[];
  exclude?: string[];
  /** Keyboard input for pause/cancel/stop (a TTY's stdin), if any. */
  keys?: KeyInput;
}

/** `kb index <paths…>`: queues the files and follows them to the end. */
export async function indexCommand(service: KbServiceImpl, paths: string[], opts: IndexOptions, io: Io): Promise<number> {
  return followJobs(service, opts, io, async () => {
    const accepted = await service.ingestFiles({
      paths,
      ...(opts.include?.length ? { include: opts.include } : {}),
      ...(opts.exclude?.length ? { exclude: opts.exclude } : {}),
    });
    return { batchId: accepted.batchId, jobs: accepted.jobs };
  });
}

/** `kb resume`: finishes the jobs a crash, a Ctrl+C or a quit left unfinished. */
export async function resumeCommand(service: KbServiceImpl, opts: IndexOptions, io: Io): Promise<number> {
  return followJobs(service, opts, io, async () => {
    const jobs = (await service.listJobs()).filter((j) => !FINISHED_JOB_STATES.includes(j.state));
    if (!jobs.length) io.out('Nothing to resume: every job has finished.');
    return { jobs };
  });
}

/** `kb cancel [--batch ID] [--job ID]`: cancels unfinished jobs so they do not resume. */
export async function cancelCommand(service: KbServiceImpl, target: { batchId?: string; jobId?: string }, opts: CommandOptions, io: Io): Promise<number> {
  const res = await service.cancelIngest(target);
  io.out(opts.json ? JSON.stringify(res) : `Cancelled ${res.cancelled} job(s).`);
  return EXIT.ok;
}

/** `kb jobs`: the latest jobs and their states. */
export async function jobsCommand(service: KbServiceImpl, opts: CommandOptions, io: Io): Promise<number> {
  const jobs = await service.listJobs();
  if (opts.json) io.out(JSON.stringify(jobs, null, 2));
  else if (!jobs.length) io.out('No jobs yet. Index some files: kb index <paths…>');
  else for (const j of jobs) io.out(`${j.state.padEnd(9)} ${j.sourcePath ?? j.fileName}${j.error ? ` — ${j.error.message}` : j.note ? ` — ${j.note}` : ''}  (batch ${j.batchId})`);
  return EXIT.ok;
}

/**
 * Starts work (`start` queues it and says which jobs to follow), draws one progress line from the
 * service's events until the queue is idle, then prints what happened to each file.
 */
async function followJobs(
  service: KbServiceImpl,
  opts: IndexOptions,
  io: Io,
  start: () => Promise<{ batchId?: string; jobs: JobProgress[] }>,
): Promise<number> {
  const jobs = new Map<string, JobProgress>();
  let followed: Set<string> | undefined;
  let batchId: string | undefined;
  let stats: IngestStats | undefined;
  let stopped = false;
  const early: JobProgress[] = [];
  const draw = () => {
    if (!io.progress) return;
    const all = [...jobs.values()];
    const current = all.find((j) => !FINISHED_JOB_STATES.includes(j.state) && j.state !== 'queued');
    io.progress(
      renderProgress(
        {
          filesDone: all.filter((j) => FINISHED_JOB_STATES.includes(j.state)).length,
          filesTotal: all.length,
          failed: all.filter((j) => j.state === 'failed').length,
          chunksDone: all.reduce((n, j) => n + j.chunksDone, 0),
          ...(current ? { current: current.fileName } : {}),
          ...(stats ? { chunksPerSecond: stats.chunksPerSecond, paused: stats.paused } : {}),
          ...(stats?.etaSeconds !== undefined ? { etaSeconds: stats.etaSeconds } : {}),
        },
        process.stderr.columns || 80,
      ),
    );
  };
  const offProgress = service.on('ingestProgress', (p) => {
    if (!followed) early.push(p);
    else if (followed.has(p.jobId)) {
      jobs.set(p.jobId, p);
      draw();
    }
  });
  const offStats = service.on('ingestStats', (s) => {
    stats = s;
    draw();
  });
  // A model the user allowed to download is fetched before the first chunk is embedded.
  const offDownload = service.on('modelDownload', (d) => {
    if (!d.done && d.bytesTotal) io.progress?.(`Downloading ${d.modelId}: ${Math.floor((d.bytesDone / d.bytesTotal) * 100)}% of ${(d.bytesTotal / 1048576).toFixed(0)} MB`);
  });
  // Handed to the process holding the library: its queue runs them, this one follows (keys act there, not here).
  const detachKeys = opts.keys && !service.handsOver
    ? attachKeyControls(opts.keys, service, () => (batchId ? { batchId } : {}), () => {
        stopped = true;
        void service.stopIndexing();
      })
    : undefined;
  try {
    const started = await start();
    batchId = started.batchId;
    followed = new Set(started.jobs.map((j) => j.jobId));
    for (const j of [...started.jobs, ...early.filter((p) => followed?.has(p.jobId))]) jobs.set(j.jobId, j);
    if (service.handsOver) {
      const holder = service.libraryAccess().holder;
      io.err(`The library is in use by ${holder ? describeHolder(holder) : 'another program'}: handed ${jobs.size} file(s) to it, which indexes them. Following its progress (Ctrl+C stops following, not indexing).`);
    } else if (opts.keys && io.progress && jobs.size) io.err(KEY_HELP);
    draw();
    if (service.handsOver) await followHandedOver(service, jobs, draw);
    else await service.idle();
  } finally {
    detachKeys?.();
    offProgress();
    offStats();
    offDownload();
  }
  io.progress?.('');
  const all = [...jobs.values()];
  const failed = all.filter((j) => j.state === 'failed');
  if (opts.json) {
    io.out(JSON.stringify({ ...(batchId ? { batchId } : {}), jobs: all }, null, 2));
  } else if (all.length) {
    const mark = { failed: '✗', cancelled: '–' } as Partial<Record<string, string>>;
    for (const j of all) {
      const what =
        j.state === 'failed'
          ? `failed: ${j.error?.message}`
          : j.state === 'skipped' || j.state === 'cancelled'
            ? `${j.state} (${j.note})`
            : FINISHED_JOB_STATES.includes(j.state)
              ? `${j.chunksTotal} chunks`
              : `not finished (${j.state})`;
      io.out(`${mark[j.state] ?? (FINISHED_JOB_STATES.includes(j.state) ? '✓' : '…')} ${j.sourcePath ?? j.fileName} — ${what}`);
    }
    const count = (state: string) => all.filter((j) => j.state === state).length;
    // "Unchanged" skips are routine; a skip with a reason of its own (a link out of the folder) is counted apart.
    const passedOver = all.filter((j) => j.state === 'skipped' && j.note && !j.note.startsWith('unchanged')).length;
    const unfinished = all.filter((j) => !FINISHED_JOB_STATES.includes(j.state)).length;
    const parts = [
      `${count('done')} indexed`,
      count('skipped') - passedOver && `${count('skipped') - passedOver} unchanged`,
      passedOver && `${passedOver} skipped`,
      failed.length && `${failed.length} failed`,
      count('cancelled') && `${count('cancelled')} cancelled`,
      unfinished && `${unfinished} left for later (kb resume)`,
    ];
    io.out(`${all.length} files: ${parts.filter(Boolean).join(', ')}.`);
  }
  return failed.length || stopped ? EXIT.partial : EXIT.ok;
}

/** Polls the shared stores for handed-over jobs until each has finished (the holder runs them). */
async function followHandedOver(service: KbServiceImpl, jobs: Map<string, JobProgress>, draw: () => void): Promise<void> {
  const open = () => [...jobs.values()].some((j) => !FINISHED_JOB_STATES.includes(j.state));
  while (open()) {
    await new Promise((r) => setTimeout(r, 300));
    const unfinished = [...jobs.values()].filter((j) => !FINISHED_JOB_STATES.includes(j.state)).map((j) => j.jobId);
    for (const j of await service.jobsById(unfinished)) jobs.set(j.jobId, j);
    draw();
  }
}

export interface SearchCommandOptions extends CommandOptions {
  mode: SearchMode;
  filters?: SearchFilters;
}

/** `kb search`: documents best first, each with where it matched and its best passage. */
export async function searchCommand(service: KbServiceImpl, query: string, opts: SearchCommandOptions, io: Io): Promise<number> {
  const res = await service.search({ query, k: opts.k, mode: opts.mode, ...(opts.filters ? { filters: opts.filters } : {}) });
  if (opts.json) {
    io.out(JSON.stringify(res, null, 2));
    return EXIT.ok;
  }
  if (res.correctedQuery) io.out(`Showing results for "${res.correctedQuery}" (nothing in your library matches "${query}").`);
  if (!res.hits.length) {
    io.out(opts.filters ? 'No results within those filters.' : 'No results. Index some files first: kb index <paths…>');
    return EXIT.ok;
  }
  if (res.weak) io.out(`No good matches for "${res.correctedQuery ?? query}". The closest documents:`);
  res.hits.forEach((h, i) => {
    const where = formatLocation(h.location);
    io.out(`${i + 1}. ${h.documentName}${where ? ` — ${where}` : ''}  (${Math.round(h.score * 100)}% · ${h.match} match)`);
    io.out(`   ${marked(h, io.color ?? false)}`);
    const more = h.passages.slice(1).map((p) => formatLocation(p.location)).filter(Boolean);
    if (h.passages.length > 1) io.out(`   + ${h.passages.length - 1} more passage${h.passages.length > 2 ? 's' : ''}${more.length ? `: ${more.join('; ')}` : ''}`);
  });
  return EXIT.ok;
}

/** A hit's snippet with its matched words in bold (in a terminal). */
function marked(h: SearchHit, color: boolean): string {
  if (!color) return h.snippet;
  let out = '';
  let at = 0;
  for (const [s, e] of h.highlights) {
    out += `${h.snippet.slice(at, s)}\x1b[1m${h.snippet.slice(s, e)}\x1b[22m`;
    at = e;
  }
  return out + h.snippet.slice(at);
}

export interface AskCommandOptions extends SearchCommandOptions {
  model?: string;
}

/** `kb ask`: the answer as it streams, then the passages it cites. */
export async function askCommand(service: KbServiceImpl, question: string, opts: AskCommandOptions, io: Io): Promise<number> {
  const streamId = randomUUID();
  const off = opts.json || !io.write ? undefined : service.on('askDelta', (d) => d.streamId === streamId && io.write?.(d.text));
  try {
    const res = await service.ask({ question, streamId, ...(opts.model ? { model: opts.model } : {}), ...(opts.filters ? { filters: opts.filters } : {}) });
    if (opts.json) {
      io.out(JSON.stringify(res, null, 2));
      return EXIT.ok;
    }
    if (!io.write) io.out(res.answer);
    else io.out('');
    if (res.doneReason === 'length') io.out('(The answer was cut off at its length limit.)');
    if (res.citations.length) {
      io.out('\nSources:');
      for (const c of res.citations) {
        const where = formatLocation(c.location);
        io.out(`[${c.n}] ${c.documentName}${where ? ` — ${where}` : ''}`);
      }
    }
    return EXIT.ok;
  } finally {
    off?.();
  }
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
  // Another process writing: its queue and run figures are its own; the stores' counts are shared.
  const holder = s.readOnly?.holder;
  if (opts.json) io.out(JSON.stringify(s, null, 2));
  else {
    for (const line of formatStatus(s)) io.out(line);
    if (holder) io.out(`in use     by ${describeHolder(holder)}: it indexes and changes the library; the counts above include its work so far`);
  }
  const ok = s.relational.available && s.vector.available && s.embedding.ready;
  return ok ? EXIT.ok : EXIT.unavailable;
}

export function requireArg(value: string | undefined, usage: string): string {
  if (!value) throw new KbError('ValidationError', `Missing argument. Usage: ${usage}`);
  return value;
}
