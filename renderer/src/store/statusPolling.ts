/** How often the Status screen asks the core for fresh figures while it is on screen. */
export const STATUS_POLL_MS = 2000;

/**
 * Calls `refresh` now and then every `intervalMs` after the previous call settled (a slow remote
 * store never gets overlapping requests), skipping ticks while the page is hidden (a minimised
 * window). Returns a function that stops it. A plain module so it is tested without a DOM.
 */
export function pollStatus(
  refresh: () => Promise<void>,
  { intervalMs = STATUS_POLL_MS, isVisible = () => true }: { intervalMs?: number; isVisible?: () => boolean } = {},
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (isVisible()) {
      try {
        await refresh();
      } catch {
        // refreshStatus records its own errors; a throw here must not end the polling.
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
