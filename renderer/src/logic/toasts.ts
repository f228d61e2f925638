import type { BatchSummary } from './jobs';

/** A short message at the window's edge that goes away by itself. */
export interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'bad';
  /** "Show" brings the failed files into view. */
  showFailures: boolean;
}

export type ToastContent = Omit<Toast, 'id'>;

/** How long a toast stays (ms): longer when something failed, so there is time to act on it. */
export function toastDuration(toast: Pick<Toast, 'tone'>): number {
  return toast.tone === 'bad' ? 10_000 : 5_000;
}

/** At most this many toasts at once; older ones make way. */
export const MAX_TOASTS = 3;

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Indexed 12 files · 2 failed", "Indexed 0 files · 14 unchanged", "Indexed 1 file · 1 cancelled". */
export function formatRunToast(s: BatchSummary): string {
  const parts = [`Indexed ${count(s.indexed, 'file', 'files')}`];
  if (s.skipped) parts.push(`${s.skipped.toLocaleString('en-US')} unchanged`);
  if (s.passedOver) parts.push(`${s.passedOver.toLocaleString('en-US')} skipped`);
  if (s.failed) parts.push(`${s.failed.toLocaleString('en-US')} failed`);
  if (s.cancelled) parts.push(`${s.cancelled.toLocaleString('en-US')} cancelled`);
  return parts.join(' · ');
}

/**
 * The toast for a run that has just finished: the batch had work left before and has none now.
 * Null otherwise (still running, nothing in it, or it had already finished).
 */
export function finishedRunToast(before: BatchSummary, after: BatchSummary): ToastContent | null {
  if (after.total === 0 || !after.finished) return null;
  if (before.total === 0 || before.finished) return null;
  return { text: formatRunToast(after), tone: after.failed > 0 ? 'bad' : 'ok', showFailures: after.failed > 0 };
}

/** Adds a toast, dropping the oldest beyond MAX_TOASTS. */
export function addToast(toasts: readonly Toast[], toast: Toast): Toast[] {
  return [...toasts, toast].slice(-MAX_TOASTS);
}
