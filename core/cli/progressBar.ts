export interface BatchProgress {
  filesDone: number;
  filesTotal: number;
  failed: number;
  chunksDone: number;
  current?: string;
  chunksPerSecond?: number;
  etaSeconds?: number;
  paused?: boolean;
}

/** "~45 s", "~3 min", "~1 h 20 min": an estimate, so rounded. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `~${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `~${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `~${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
}

/**
 * One line of progress, fitted to `width`:
 * `[#####-----] 12/40 files · 310 chunks · 21.5 chunks/s · ~3 min left · notes.md`.
 */
export function renderProgress(p: BatchProgress, width = 80): string {
  const barWidth = 20;
  const ratio = p.filesTotal ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(ratio * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const parts = [`${bar} ${p.filesDone}/${p.filesTotal} files`, `${p.chunksDone} chunks`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.paused) parts.push('PAUSED (p resumes)');
  else {
    if (p.chunksPerSecond) parts.push(`${p.chunksPerSecond.toFixed(1)} chunks/s`);
    if (p.etaSeconds !== undefined && p.filesDone < p.filesTotal) parts.push(`${formatEta(p.etaSeconds)} left`);
  }
  if (p.current) parts.push(p.current);
  const line = parts.join(' · ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
