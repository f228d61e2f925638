import type { ModelDownloadProgress, ReindexStatus } from '../../../core/api';

/**
 * One line about what the model is doing in the background, or null when it is idle:
 * a download the user allowed, or the library being re-embedded for a new model.
 */
export function describeModelActivity(
  download: ModelDownloadProgress | null,
  reindex: ReindexStatus | undefined,
): { text: string; tone: 'busy' | 'bad' } | null {
  if (download && !download.done) {
    const pct = download.bytesTotal ? Math.floor((download.bytesDone / download.bytesTotal) * 100) : 0;
    return { text: `Downloading ${download.modelId}: ${pct}%`, tone: 'busy' };
  }
  if (reindex?.state === 'running') {
    return { text: `Re-indexing for ${reindex.model}: ${reindex.done} of ${reindex.total || '…'} documents`, tone: 'busy' };
  }
  if (reindex?.state === 'failed') return { text: reindex.message ?? `Re-indexing for ${reindex.model} failed`, tone: 'bad' };
  return null;
}
