import type { ProviderHealth } from '../api/types';

/** Pauses between availability probes while a store is away (the last one repeats). */
export const OUTAGE_PROBE_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];

/**
 * Waits until every store answers again: probes with growing pauses, reporting what is still
 * unavailable. Resolves when all are available; resolves early (without waiting further) when
 * `signal` aborts — the caller checks it.
 */
export async function waitForStores(
  probe: () => Promise<ProviderHealth[]>,
  signal: AbortSignal,
  onWaiting: (unavailable: ProviderHealth) => void,
  delays: readonly number[] = OUTAGE_PROBE_DELAYS_MS,
): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    const down = (await probe().catch((err: unknown) => [{ provider: 'store', available: false, latencyMs: 0, message: String(err) }])).find((h) => !h.available);
    if (!down) return;
    onWaiting(down);
    const ms = delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
