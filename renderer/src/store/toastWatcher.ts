import type { JobProgress } from '../../../core/api';
import { summariseBatch, type BatchSummary } from '../logic/jobs';
import { finishedRunToast } from '../logic/toasts';
import type { KbStore } from './createKbStore';
import type { KbState } from './types';

function batchSummary(s: KbState): BatchSummary {
  return summariseBatch(s.batchJobIds.map((id) => s.jobBook.jobs[id]).filter((j): j is JobProgress => j !== undefined));
}

/**
 * Toasts when an indexing run the user started finishes ("Indexed 12 files · 2 failed"). A plain
 * subscription, not a component effect, so it does not depend on what is mounted.
 * Returns a function that unsubscribes.
 */
export function watchFinishedRuns(store: KbStore): () => void {
  return store.subscribe((now, before) => {
    if (now.jobBook === before.jobBook && now.batchJobIds === before.batchJobIds) return;
    const toast = finishedRunToast(batchSummary(before), batchSummary(now));
    if (toast) now.pushToast(toast);
  });
}
