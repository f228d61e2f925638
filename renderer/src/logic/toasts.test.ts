import { describe, expect, it } from 'vitest';
import type { BatchSummary } from './jobs';
import { MAX_TOASTS, addToast, finishedRunToast, formatRunToast, toastDuration, type Toast } from './toasts';

const summary = (patch: Partial<BatchSummary>): BatchSummary => ({
  total: 0,
  indexed: 0,
  skipped: 0,
  passedOver: 0,
  failed: 0,
  cancelled: 0,
  pending: 0,
  finished: true,
  ...patch,
});
const running = summary({ total: 14, indexed: 3, pending: 11, finished: false });

describe('finishedRunToast', () => {
  it('says how the run went once its last file has finished', () => {
    expect(finishedRunToast(running, summary({ total: 14, indexed: 12, failed: 2 }))).toEqual({
      text: 'Indexed 12 files · 2 failed',
      tone: 'bad',
      showFailures: true,
    });
    expect(finishedRunToast(running, summary({ total: 14, indexed: 14 }))).toEqual({ text: 'Indexed 14 files', tone: 'ok', showFailures: false });
  });

  it('says nothing while files remain, for an empty batch, or twice for the same run', () => {
    expect(finishedRunToast(running, summary({ total: 14, indexed: 4, pending: 10, finished: false }))).toBeNull();
    expect(finishedRunToast(summary({}), summary({}))).toBeNull();
    const done = summary({ total: 14, indexed: 14 });
    expect(finishedRunToast(done, done)).toBeNull();
    // A new batch that is finished already when first seen (every file unchanged) was never seen running.
    expect(finishedRunToast(summary({}), summary({ total: 3, skipped: 3 }))).toBeNull();
  });
});

describe('formatRunToast', () => {
  it('counts indexed, unchanged, failed and cancelled files', () => {
    expect(formatRunToast(summary({ total: 1, indexed: 1 }))).toBe('Indexed 1 file');
    expect(formatRunToast(summary({ total: 17, indexed: 0, skipped: 14, failed: 3 }))).toBe('Indexed 0 files · 14 unchanged · 3 failed');
    expect(formatRunToast(summary({ total: 1200, indexed: 1199, cancelled: 1 }))).toBe('Indexed 1,199 files · 1 cancelled');
  });
});

describe('toast list', () => {
  it('keeps the newest few', () => {
    let list: Toast[] = [];
    for (let id = 1; id <= MAX_TOASTS + 2; id++) list = addToast(list, { id, text: `t${id}`, tone: 'ok', showFailures: false });
    expect(list.map((t) => t.id)).toEqual([3, 4, 5]);
  });

  it('leaves failures up longer', () => {
    expect(toastDuration({ tone: 'bad' })).toBeGreaterThan(toastDuration({ tone: 'ok' }));
    expect(toastDuration({ tone: 'ok' })).toBeGreaterThanOrEqual(4000);
  });
});
