/** `kb status` as a person reads it: health, counts and the measured figures, one topic a line. */
import type { KbStatus, ProviderHealth } from '../api/types';

export function formatHealth(h: ProviderHealth): string {
  return `${h.provider}: ${h.available ? 'available' : 'UNAVAILABLE'} (${h.latencyMs.toFixed(1)} ms)${h.message ? ` — ${h.message}` : ''}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const seconds = (n: number) => (n < 60 ? `${n.toFixed(1)} s` : `${Math.floor(n / 60)} min ${Math.round(n % 60)} s`);
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function formatStatus(s: KbStatus): string[] {
  const { counts, metrics } = s;
  const lines = [
    `qckstrt ${s.version} — data in ${s.dataDir}`,
    `relational ${formatHealth(s.relational)}`,
    `vector     ${formatHealth(s.vector)}`,
    `model      ${s.embedding.modelId} (${s.embedding.dimensions}-d) ${s.embedding.ready ? 'ready' : `not ready${s.embedding.message ? `: ${s.embedding.message}` : ''}`}`,
    `library    ${counts.documents} documents, ${counts.chunks} chunks; ${counts.vectors} vectors, ${counts.keywordChunks} keyword entries`,
  ];
  const { search } = metrics;
  lines.push(
    search.count
      ? `search     p50 ${ms(search.p50Ms)} ms · p95 ${ms(search.p95Ms)} ms · p99 ${ms(search.p99Ms)} ms over the last ${search.count} searches`
      : 'search     no searches yet in this process',
  );
  const run = metrics.lastIngest;
  if (run) {
    lines.push(
      `last run   ${run.files} files (${run.failed} failed), ${run.chunks} chunks in ${seconds(run.seconds)}: ${run.filesPerSecond} files/s, ${run.chunksPerSecond} chunks/s (${when(run.finishedAt)})`,
    );
  }
  const build = metrics.indexBuild;
  if (build) lines.push(`index      ${build.kind} of ${build.documents} documents (${build.vectors} vectors) in ${seconds(build.ms / 1000)} (${when(build.finishedAt)})`);
  const { storage } = metrics;
  const size = (n: number | undefined) => (n === undefined ? '—' : formatBytes(n));
  lines.push(`storage    relational ${size(storage.relationalBytes)} · vectors ${size(storage.vectorBytes)} · originals ${formatBytes(storage.filesBytes)}`);
  for (const note of storage.notes) lines.push(`           ${note}`);
  if (metrics.pool) {
    const p = metrics.pool;
    lines.push(`pool       ${p.total} of ${p.max} PostgreSQL connections open (${p.idle} idle, ${p.waiting} waiting)`);
  }
  if (s.reindex) lines.push(`re-index   ${s.reindex.model}: ${s.reindex.state} ${s.reindex.done}/${s.reindex.total}${s.reindex.message ? ` — ${s.reindex.message}` : ''}`);
  if (s.providerChange) {
    const c = s.providerChange;
    lines.push(`move       ${c.strategy} to ${c.to.relationalWhere} and ${c.to.vectorWhere}: ${c.state} (${c.phase} ${c.documentsDone}/${c.documentsTotal})${c.message ? ` — ${c.message}` : ''}`);
  }
  const last = s.lastBackup;
  lines.push(last ? `backup     last ${when(last.finishedAt)}${last.automatic ? ' (automatic)' : ''}: ${last.documents} documents, ${formatBytes(last.bytes)} — ${last.path}` : 'backup     none yet (kb backup)');
  if (s.backup?.state === 'running') lines.push(`           ${s.backup.operation} running: ${s.backup.phase} ${s.backup.done}/${s.backup.total}`);
  if (s.mismatch) lines.push(`MISMATCH   ${s.mismatch.message}`);
  return lines;
}
