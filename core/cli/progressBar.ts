export interface BatchProgress {
  filesDone: number;
  filesTotal: number;
  failed: number;
  chunksDone: number;
  current?: string;
}

/** One line of progress: `[#####-----] 12/40 files · 310 chunks · notes.md` fitted to `width`. */
export function renderProgress(p: BatchProgress, width = 80): string {
  const barWidth = 20;
  const ratio = p.filesTotal ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(ratio * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const failed = p.failed ? ` · ${p.failed} failed` : '';
  let line = `${bar} ${p.filesDone}/${p.filesTotal} files · ${p.chunksDone} chunks${failed}`;
  if (p.current) line += ` · ${p.current}`;
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
