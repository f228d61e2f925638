/**
 * An AbortSignal that fires when nothing happened for `ms` (no response headers, no body bytes),
 * combined with the caller's signal. `arm()` restarts the clock; tell the two causes apart with
 * `stalled` and the caller's `signal.aborted`.
 */
export interface StallGuard {
  readonly signal: AbortSignal;
  readonly stalled: boolean;
  arm(): void;
  stop(): void;
}

export function stallGuard(ms: number, parent?: AbortSignal): StallGuard {
  const own = new AbortController();
  const signal = parent ? AbortSignal.any([parent, own.signal]) : own.signal;
  let timer: NodeJS.Timeout | undefined;
  return {
    signal,
    get stalled() {
      return own.signal.aborted;
    },
    arm() {
      clearTimeout(timer);
      timer = setTimeout(() => own.abort(new Error(`no data for ${ms} ms`)), ms);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
