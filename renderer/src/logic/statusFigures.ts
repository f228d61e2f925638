/**
 * What the Status screen says about the core's figures (getStatus): pure, so every wording and
 * edge (an empty library, a store that is down, a remote store that cannot tell its size) is
 * tested without a DOM.
 */
import type {
  IndexBuild,
  IngestRun,
  PoolUse,
  ProviderChangeStatus,
  ReconcileReport,
  ProviderHealth,
  SearchLatency,
  StorageSize,
  StoreCounts,
  StoreMismatch,
} from '../../../core/api';
import { formatBytes, formatDate } from './format';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

const PROVIDER_NAMES: Record<string, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  aurora: 'Aurora PostgreSQL',
  embedded: 'sqlite-vec',
  chromadb: 'ChromaDB',
  pgvector: 'pgvector',
};

const PROVIDER_DETAILS: Record<string, string> = {
  sqlite: 'A file in the data folder',
  postgres: 'A PostgreSQL server',
  aurora: 'Through the RDS Data API',
  embedded: 'Inside the SQLite file',
  chromadb: 'A ChromaDB server',
  pgvector: 'Inside the PostgreSQL database',
};

/** A provider's id as people know the product ("postgres" → "PostgreSQL"); unknown ids as they are. */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** Where a provider keeps its data, in a few words ('' for an unknown provider). */
export function providerDetail(provider: string): string {
  return PROVIDER_DETAILS[provider] ?? '';
}

/** Latencies: "0.4 ms" and "3.2 ms" (small figures keep a decimal), "48 ms", "1.3 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return '0 ms';
  if (ms < 0.05) return '<0.1 ms';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** 1234567 → "1,234,567" (one grouping everywhere, whatever the machine's locale). */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** A rate: "2.4 files/s" under 10, "695 chunks/s" above. */
export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatNumber(perSecond)} ${unit}/s`;
}

export interface HealthView {
  role: string;
  name: string;
  detail: string;
  state: 'Available' | 'Unavailable';
  tone: Tone;
  /** How long the health check took ("3.1 ms"); for a store that is down, how long until it failed. */
  latency: string;
  /** The server's words when it is down (or a note when it is up). */
  message?: string;
}

export function describeHealth(role: 'relational' | 'vector', h: ProviderHealth): HealthView {
  return {
    role: role === 'relational' ? 'Relational store' : 'Vector store',
    name: providerName(h.provider),
    detail: providerDetail(h.provider),
    state: h.available ? 'Available' : 'Unavailable',
    tone: h.available ? 'ok' : 'bad',
    latency: formatMs(h.latencyMs),
    ...(h.message ? { message: h.message } : h.available ? {} : { message: 'The server gave no reason.' }),
  };
}

export interface PoolView {
  /** "3 of 10 connections open" */
  open: string;
  idle: string;
  waiting: string;
  tone: Tone;
  /** For screen readers and the title: the whole sentence. */
  sentence: string;
}

/** node-postgres pool use; requests waiting for a connection mean the pool is too small. */
export function describePool(pool: PoolUse): PoolView {
  const open = `${pool.total} of ${pool.max} connections open`;
  const idle = `${pool.idle} idle`;
  const waiting = `${pool.waiting} waiting`;
  return {
    open,
    idle,
    waiting,
    tone: pool.waiting > 0 ? 'warn' : 'ok',
    sentence: `${open}, ${idle}, ${waiting}${pool.waiting > 0 ? ' — queries are queuing for a connection' : ''}.`,
  };
}

/** Why a relational store shows no pool: only node-postgres (the `postgres` provider) keeps one. */
export function noPoolNote(provider: string): string {
  if (provider === 'sqlite') return 'None: only PostgreSQL uses one.';
  if (provider === 'aurora') return 'None: the RDS Data API connects per request.';
  return 'No connection open yet.';
}

export interface CountRow {
  label: string;
  store: string;
  value: string;
  testId: string;
}

export interface CountsView {
  rows: CountRow[];
  /** Set when the stores disagree in a way worth a word (indexing under way, repairs pending). */
  note?: string;
}

/** `mismatch`: the stores disagree wholesale, which the mismatch notice explains instead. */
export function describeCounts(counts: StoreCounts, relational: string, vector: string, mismatch = false): CountsView {
  const rel = providerName(relational);
  const rows: CountRow[] = [
    { label: 'Documents', store: rel, value: formatNumber(counts.documents), testId: 'count-documents' },
    { label: 'Chunks', store: rel, value: formatNumber(counts.chunks), testId: 'count-chunks' },
    { label: 'Vectors', store: providerName(vector), value: formatNumber(counts.vectors), testId: 'count-vectors' },
    { label: 'Keyword-indexed chunks', store: rel, value: formatNumber(counts.keywordChunks), testId: 'count-keyword' },
  ];
  if (mismatch) return { rows };
  const notes: string[] = [];
  const vectorGap = counts.chunks - counts.vectors;
  if (vectorGap > 0) notes.push(`${formatNumber(vectorGap)} ${vectorGap === 1 ? 'chunk has' : 'chunks have'} no vector yet`);
  if (vectorGap < 0) notes.push(`${formatNumber(-vectorGap)} ${vectorGap === -1 ? 'vector belongs' : 'vectors belong'} to no chunk`);
  const keywordGap = counts.chunks - counts.keywordChunks;
  if (keywordGap > 0) notes.push(`${formatNumber(keywordGap)} ${keywordGap === 1 ? 'chunk is' : 'chunks are'} not keyword-indexed yet`);
  if (keywordGap < 0) notes.push(`${formatNumber(-keywordGap)} keyword ${keywordGap === -1 ? 'entry belongs' : 'entries belong'} to no chunk`);
  return notes.length
    ? { rows, note: `${capitalise(notes.join('; '))}: indexing is under way, or the start-up check will repair it.` }
    : { rows };
}

export interface LatencyView {
  empty: boolean;
  /** "12 searches since the app started" / "No searches yet" */
  count: string;
  p50: string;
  p95: string;
  p99: string;
  /** The chart's accessible name: what it shows, in words. */
  chartLabel: string;
}

export function describeSearchLatency(s: SearchLatency): LatencyView {
  if (s.count === 0) {
    return { empty: true, count: 'No searches yet', p50: '—', p95: '—', p99: '—', chartLabel: 'No searches yet' };
  }
  const ms = s.recent.map((r) => r.ms);
  const range = ms.length ? ` — fastest ${formatMs(Math.min(...ms))}, slowest ${formatMs(Math.max(...ms))}` : '';
  return {
    empty: false,
    count: `${formatNumber(s.count)} ${s.count === 1 ? 'search' : 'searches'} since the app started`,
    p50: formatMs(s.p50Ms),
    p95: formatMs(s.p95Ms),
    p99: formatMs(s.p99Ms),
    chartLabel: `Latency of the last ${ms.length} ${ms.length === 1 ? 'search' : 'searches'}, oldest to newest${range}`,
  };
}

/** The chart's columns: x is the search's place among the recent ones (1 = oldest), y its time in ms. */
export function latencySeries(recent: SearchLatency['recent']): [number[], number[]] {
  return [recent.map((_, i) => i + 1), recent.map((r) => r.ms)];
}

export interface RecentRow {
  key: string;
  n: number;
  at: string;
  ms: string;
  mode: string;
}

/** The chart's table alternative, newest first. */
export function recentRows(recent: SearchLatency['recent'], locale?: string, timeZone?: string): RecentRow[] {
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone });
  return recent
    .map((r, i) => {
      const d = new Date(r.at);
      return { key: `${r.at}-${i}`, n: i + 1, at: Number.isNaN(d.getTime()) ? '—' : time.format(d), ms: formatMs(r.ms), mode: r.mode };
    })
    .reverse();
}

export interface RunView {
  empty: boolean;
  headline: string;
  detail: string;
  tone: Tone;
}

export function describeIngestRun(run: IngestRun | undefined, locale?: string, timeZone?: string): RunView {
  if (!run) {
    return { empty: true, headline: 'None since the app started', detail: 'Add files: how fast they were indexed shows here.', tone: 'muted' };
  }
  const files = `${formatNumber(run.files)} ${run.files === 1 ? 'file' : 'files'}`;
  const failed = run.failed ? `, ${formatNumber(run.failed)} failed` : '';
  return {
    empty: false,
    headline: `${formatRate(run.filesPerSecond, 'files')} · ${formatRate(run.chunksPerSecond, 'chunks')}`,
    detail: `${files}${failed}, ${formatNumber(run.chunks)} ${run.chunks === 1 ? 'chunk' : 'chunks'} in ${formatSeconds(run.seconds)} — finished ${formatDate(run.finishedAt, locale, timeZone)}`,
    tone: run.failed ? 'warn' : 'ok',
  };
}

export function describeIndexBuild(build: IndexBuild | undefined, locale?: string, timeZone?: string): RunView {
  if (!build) {
    return {
      empty: true,
      headline: 'None since the app started',
      detail: 'Changing the model re-indexes the library and moving it to other databases copies it: the time that took shows here.',
      tone: 'muted',
    };
  }
  const what = build.kind === 'reindex' ? 'Re-indexed' : 'Copied';
  return {
    empty: false,
    headline: formatMs(build.ms),
    detail: `${what} ${formatNumber(build.documents)} ${build.documents === 1 ? 'document' : 'documents'} (${formatNumber(build.vectors)} vectors) — finished ${formatDate(build.finishedAt, locale, timeZone)}`,
    tone: 'ok',
  };
}

export interface StorageRow {
  label: string;
  value: string;
  /** The figure is absent: the store cannot say (see the notes). */
  absent: boolean;
  testId: string;
}

export function describeStorage(storage: StorageSize, relational: string, vector: string): { rows: StorageRow[]; notes: string[]; total: string } {
  // sqlite-vec lives in the SQLite file: its bytes are in the relational figure, not missing.
  const inRelational = vector === 'embedded' && relational === 'sqlite' && storage.vectorBytes === undefined && storage.relationalBytes !== undefined;
  const row = (label: string, bytes: number | undefined, testId: string): StorageRow =>
    bytes === undefined ? { label, value: 'Not measured', absent: true, testId } : { label, value: formatBytes(bytes), absent: false, testId };
  const rows = [
    row(`Relational (${providerName(relational)})`, storage.relationalBytes, 'storage-relational'),
    inRelational
      ? { label: `Vectors (${providerName(vector)})`, value: 'In the SQLite file', absent: true, testId: 'storage-vector' }
      : row(`Vectors (${providerName(vector)})`, storage.vectorBytes, 'storage-vector'),
    row('Original files kept', storage.filesBytes, 'storage-files'),
  ];
  const known = [storage.relationalBytes, storage.vectorBytes, storage.filesBytes].filter((b): b is number => b !== undefined);
  const partial = known.length < 3 && !inRelational;
  return { rows, notes: storage.notes, total: `${partial ? 'At least ' : ''}${formatBytes(known.reduce((a, b) => a + b, 0))}` };
}

export interface MismatchView {
  title: string;
  explanation: string;
  /** What "Reset to this database" does, each a sentence, the irreversible first. */
  resetEffects: string[];
}

export function describeMismatch(m: StoreMismatch, relational: string, vector: string): MismatchView {
  const rel = providerName(relational);
  const vec = providerName(vector);
  const docs = (n: number) => `${formatNumber(n)} ${n === 1 ? 'document' : 'documents'}`;
  // Orphaned vectors are the stronger evidence (the relational side was pointed elsewhere), as in the core's check.
  const explanation =
    m.vectorsWithoutRows > 0
      ? `The vector store (${vec}) holds the vectors of ${docs(m.vectorDocuments)}, and ${m.vectorsWithoutRows === m.vectorDocuments ? 'none' : `${formatNumber(m.vectorDocuments - m.vectorsWithoutRows)}`} of them ${m.vectorDocuments - m.vectorsWithoutRows === 1 ? 'is' : 'are'} listed by the relational database (${rel}), which lists ${docs(m.documents)}. Usually the relational provider was pointed at another database than the one the library was indexed into. Nothing has been deleted.`
      : `The relational database (${rel}) lists ${docs(m.documents)}, and ${formatNumber(m.rowsWithoutVectors)} of them ${m.rowsWithoutVectors === 1 ? 'has' : 'have'} no vectors in the vector store (${vec}). Usually the vector provider was pointed at another, or an empty, store. Nothing has been re-embedded.`;
  const effects: string[] = [];
  if (m.vectorsWithoutRows > 0) {
    effects.push(
      `Deletes the vectors of ${docs(m.vectorsWithoutRows)} that this relational database does not list. They cannot be brought back from here; another database may still hold their rows.`,
    );
  }
  if (m.rowsWithoutVectors > 0) {
    effects.push(`Re-embeds the ${docs(m.rowsWithoutVectors)} listed here without vectors, from their stored text (this takes a while on a big library).`);
  }
  effects.push(m.documents === 0 ? 'Leaves an empty library: this relational database lists no documents.' : `Keeps the ${docs(m.documents)} this relational database lists.`);
  return { title: 'The two databases hold different libraries', explanation, resetEffects: effects };
}

/** What "Reset to this database" did, for a toast. */
export function describeReconcileReport(r: ReconcileReport): string {
  if (r.mismatch) return 'The stores still disagree: nothing was changed.';
  const parts = [
    `removed the vectors of ${formatNumber(r.orphansRemoved)} ${r.orphansRemoved === 1 ? 'document' : 'documents'}`,
    `${formatNumber(r.repairsQueued)} queued to be re-embedded`,
  ];
  if (r.keywordBuildsQueued) parts.push(`${formatNumber(r.keywordBuildsQueued)} to be keyword-indexed`);
  return `Reset to this database: ${parts.join(', ')}.`;
}

const PHASES: Record<ProviderChangeStatus['phase'], string> = {
  connecting: 'Connecting to the new stores',
  copying: 'Copying documents',
  'catching-up': 'Catching up with changes made meanwhile',
  verifying: 'Verifying the counts',
  switching: 'Switching over',
  finished: 'Finished',
};

export interface ProviderChangeView {
  title: string;
  phase: string;
  /** 0–100, or null when the total is not known yet. */
  percent: number | null;
  detail: string;
  tone: Tone;
  running: boolean;
}

export function describeProviderChange(pc: ProviderChangeStatus): ProviderChangeView {
  const from = `${providerName(pc.from.relational)} + ${providerName(pc.from.vector)}`;
  const to = `${providerName(pc.to.relational)} + ${providerName(pc.to.vector)}`;
  const how = pc.strategy === 'reindex' ? 'Re-indexing the library into' : pc.strategy === 'switch' ? 'Switching to' : 'Moving the library to';
  const percent = pc.documentsTotal > 0 ? Math.min(100, Math.round((pc.documentsDone / pc.documentsTotal) * 100)) : null;
  const progress = `${formatNumber(pc.documentsDone)} of ${formatNumber(pc.documentsTotal)} documents, ${formatNumber(pc.vectorsCopied)} vectors${pc.resumed ? ` (${formatNumber(pc.resumed)} already moved by an earlier attempt)` : ''}`;
  switch (pc.state) {
    case 'running':
      return { title: `${how} ${to}`, phase: PHASES[pc.phase], percent, detail: `${progress}. The app keeps using ${from} until the copy is complete and verified.`, tone: 'muted', running: true };
    case 'done':
      return { title: `Now using ${to}`, phase: PHASES.finished, percent: 100, detail: pc.message ?? progress, tone: 'ok', running: false };
    case 'failed':
      return { title: `The move to ${to} failed`, phase: PHASES[pc.phase], percent, detail: `${pc.message ?? 'No reason was given.'} The app still uses ${from}.`, tone: 'bad', running: false };
    case 'cancelled':
      return { title: `The move to ${to} was cancelled`, phase: PHASES[pc.phase], percent, detail: `${progress}. The app still uses ${from}; applying again resumes the copy.`, tone: 'warn', running: false };
  }
}

function formatSeconds(s: number): string {
  return formatMs(s * 1000);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
