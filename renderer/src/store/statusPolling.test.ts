import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KbStatus } from '../../../core/api';
import { fakeClient, ok } from '../testing/fakeClient';
import { createKbStore } from './createKbStore';
import { pollStatus } from './statusPolling';

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('pollStatus', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes at once, then every interval, and stops when told', async () => {
    const refresh = vi.fn(async () => {});
    const stop = pollStatus(refresh, { intervalMs: 2000 });
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(refresh).toHaveBeenCalledTimes(4);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).toHaveBeenCalledTimes(4);
  });

  it('never overlaps a slow refresh: the next waits for the previous to settle', async () => {
    let inFlight = 0;
    let most = 0;
    const refresh = vi.fn(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5000));
      inFlight--;
    });
    const stop = pollStatus(refresh, { intervalMs: 2000 });
    await vi.advanceTimersByTimeAsync(20_000);
    stop();
    expect(most).toBe(1);
    expect(refresh.mock.calls.length).toBe(3); // 0–5 s, 7–12 s, 14–19 s
  });

  it('skips ticks while the page is hidden, and a failing refresh does not end it', async () => {
    let visible = false;
    const refresh = vi.fn(async () => {
      throw new Error('boom');
    });
    const stop = pollStatus(refresh, { intervalMs: 1000, isVisible: () => visible });
    await vi.advanceTimersByTimeAsync(3000);
    expect(refresh).not.toHaveBeenCalled();
    visible = true;
    await vi.advanceTimersByTimeAsync(2000);
    expect(refresh).toHaveBeenCalledTimes(2);
    stop();
  });

  it('drives the store: each tick asks the core for getStatus', async () => {
    const status = { documents: 0 } as unknown as KbStatus;
    const f = fakeClient({ getStatus: () => ok(status) });
    const store = createKbStore(f.client);
    const stop = pollStatus(() => store.getState().refreshStatus(), { intervalMs: 2000 });
    await vi.advanceTimersByTimeAsync(4000);
    stop();
    expect(f.calls.filter((c) => c.method === 'getStatus')).toHaveLength(3);
    expect(store.getState().status).toBe(status);
  });
});

describe('resetStoresToRelational', () => {
  it('reconciles with force, then reloads status and documents', async () => {
    const f = fakeClient({
      reconcileStores: () => ok({ orphansRemoved: 3, repairsQueued: 0, keywordBuildsQueued: 0 }),
      getStatus: () => ok({ documents: 0 } as unknown as KbStatus),
      listDocuments: () => ok([]),
    });
    const store = createKbStore(f.client);
    expect(await store.getState().resetStoresToRelational()).toEqual(ok({ orphansRemoved: 3, repairsQueued: 0, keywordBuildsQueued: 0 }));
    expect(f.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['reconcileStores', 'getStatus', 'listDocuments']));
    expect(f.calls.find((c) => c.method === 'reconcileStores')?.input).toEqual({ force: true });
  });

  it('returns the core’s error and still shows the current state', async () => {
    const f = fakeClient({
      reconcileStores: () => ({ ok: false, error: { kind: 'ProviderUnavailable', message: 'ChromaDB is down' } }),
      getStatus: () => ok({ documents: 0 } as unknown as KbStatus),
      listDocuments: () => ok([]),
    });
    const store = createKbStore(f.client);
    expect(await store.getState().resetStoresToRelational()).toEqual({ ok: false, error: { kind: 'ProviderUnavailable', message: 'ChromaDB is down' } });
    expect(f.calls.some((c) => c.method === 'getStatus')).toBe(true);
  });
});
