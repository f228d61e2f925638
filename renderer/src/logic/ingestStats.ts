import type { IngestStats } from '../../../core/api';
import { formatBatchSummary, type BatchSummary } from './jobs';

/** Throughput and time-left wording for the indexing panel; pure so it is tested without a DOM. */

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Time left in the words a person would use: "a few seconds left", "about 40 s left",
 * "about 2 min left", "about 1 h 15 min left", "about 3 days left". Null when there is no
 * estimate (the core sends none until it has measured a rate).
 */
export function formatEta(seconds: number | undefined): string | null {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 45) return `about ${Math.round(seconds / 5) * 5} s left`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = seconds / 3600;
  if (hours >= 48) return `about ${Math.round(hours / 24)} days left`;
  if (hours >= 10) return `about ${Math.round(hours)} h left`;
  // Below ten hours, to the nearest five minutes (an hour carried when they round up to 60).
  const fives = Math.round(seconds / 300);
  const h = Math.floor(fives / 12);
  const m = (fives % 12) * 5;
  return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
}

function trimNumber(n: number, digits: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/**
 * A rate per second for people: "3.2 files/s", "45 chunks/s"; slower than one a second it is
 * given per minute ("12 files/min") or per hour. Null while nothing has been measured (0).
 */
export function formatRate(perSecond: number, unit: string): string | null {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return null;
  if (perSecond >= 1) return `${trimNumber(perSecond, perSecond < 10 ? 1 : 0)} ${unit}/s`;
  const perMinute = perSecond * 60;
  if (perMinute >= 1) return `${trimNumber(perMinute, perMinute < 10 ? 1 : 0)} ${unit}/min`;
  return `${Math.max(1, Math.round(perMinute * 60)).toLocaleString('en-US')} ${unit}/h`;
}

/** Worth showing the queue's progress and controls: files are waiting or in work, or the user paused it. */
export function isRunActive(stats: IngestStats | null | undefined): stats is IngestStats {
  return !!stats && (stats.paused || stats.filesDone < stats.filesTotal);
}

export interface IngestStatsView {
  /** "12 of 40 files done, 3 failed". */
  headline: string;
  /** For the overall <progress>; `value` undefined (indeterminate) before any file is known. */
  value: number | undefined;
  max: number;
  /** "1,234 chunks embedded", then rates once measured. */
  details: string[];
  /** "about 2 min left", "Paused", or "Estimating time left…". */
  eta: string;
}

export function describeIngestStats(stats: IngestStats): IngestStatsView {
  const total = Math.max(0, stats.filesTotal);
  const done = Math.min(Math.max(0, stats.filesDone), total);
  let headline = total > 0 ? `${done.toLocaleString('en-US')} of ${plural(total, 'file', 'files')} done` : 'No files waiting';
  if (stats.failed > 0) headline += `, ${stats.failed.toLocaleString('en-US')} failed`;

  const details = [`${plural(stats.chunksEmbedded, 'chunk', 'chunks')} embedded`];
  // Rates describe work being done: while paused they only describe the past.
  if (!stats.paused) {
    for (const rate of [formatRate(stats.filesPerSecond, 'files'), formatRate(stats.chunksPerSecond, 'chunks')]) {
      if (rate) details.push(rate);
    }
  }

  let eta: string;
  if (stats.paused) eta = 'Paused';
  else if (stats.waitingFor) {
    // Nothing failed: the queue resumes by itself when the store answers again.
    eta = `Waiting for ${stats.waitingFor.provider}`;
    details.unshift(`${stats.waitingFor.provider} is unavailable${stats.waitingFor.message ? ` (${stats.waitingFor.message})` : ''}; indexing resumes when it is back`);
  } else if (total > 0 && done >= total) eta = 'Finishing…';
  else eta = formatEta(stats.etaSeconds) ?? 'Estimating time left…';

  return { headline, value: total > 0 ? done : undefined, max: Math.max(1, total), details, eta };
}

/**
 * What the panel's live region says. It changes on transitions only (started, paused, resumed,
 * finished), not on every file, so a screen reader is told what matters without a running count;
 * the numbers stay on screen and in the progress bar.
 */
export function ingestAnnouncement(stats: IngestStats | null, batch: BatchSummary): string {
  if (stats?.paused) {
    const left = Math.max(0, stats.filesTotal - stats.filesDone);
    return left > 0 ? `Indexing paused, ${plural(left, 'file', 'files')} waiting.` : 'Indexing paused.';
  }
  if (stats?.waitingFor) return `Indexing waits for ${stats.waitingFor.provider}, which is unavailable.`;
  if (isRunActive(stats) || (batch.total > 0 && !batch.finished)) return 'Indexing…';
  return formatBatchSummary(batch);
}
