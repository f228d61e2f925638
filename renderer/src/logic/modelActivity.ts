import type { ModelDownloadProgress, ReindexStatus } from '../../../core/api';

/**
 * One line about what the model is doing in the background, or null when it is idle:
 * a download the user allowed, or the library being re-embedded for a new model. A failure has a
 * `short` form for the header (the whole message is shown in the Model panel).
 */
export function describeModelActivity(
  download: ModelDownloadProgress | null,
  reindex: ReindexStatus | undefined,
): { text: string; tone: 'busy' | 'bad'; short?: string } | null {
  if (download && !download.done) {
    const pct = download.bytesTotal ? Math.floor((download.bytesDone / download.bytesTotal) * 100) : 0;
    return { text: `Downloading ${download.modelId}: ${pct}%`, tone: 'busy' };
  }
  if (reindex?.state === 'running') {
    return { text: `Re-indexing for ${reindex.model}: ${reindex.done} of ${reindex.total || '…'} documents`, tone: 'busy' };
  }
  if (reindex?.state === 'failed') {
    return { text: reindex.message ?? `Re-indexing for ${reindex.model} failed`, tone: 'bad', short: `Switch to ${reindex.model} failed` };
  }
  return null;
}

/** Identifies one failed re-index, so dismissing it keeps it away across status refreshes. */
export function reindexKey(reindex: ReindexStatus): string {
  return `${reindex.model}\n${reindex.message ?? ''}`;
}

/** The re-index status to show: a failure the user dismissed is no longer shown. */
export function visibleReindex(reindex: ReindexStatus | undefined, dismissed: string | null): ReindexStatus | undefined {
  return reindex?.state === 'failed' && dismissed !== null && reindexKey(reindex) === dismissed ? undefined : reindex;
}
