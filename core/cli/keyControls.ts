import type { KbServiceImpl } from '../service';

/** What the keys do while `kb index` or `kb resume` runs in a terminal. */
export const KEY_HELP = 'p pause/resume · c cancel · Ctrl+C stop (resume later with kb resume)';

export interface KeyInput {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  setRawMode?: (raw: boolean) => unknown;
  resume?: () => unknown;
  pause?: () => unknown;
}

/**
 * Keyboard control of a running batch: `p` pauses or resumes, `c` cancels what is left of it,
 * Ctrl+C (raw mode swallows the signal) calls `onStop`. Returns a function that detaches.
 */
export function attachKeyControls(
  input: KeyInput,
  service: Pick<KbServiceImpl, 'pauseIngest' | 'resumeIngest' | 'cancelIngest'>,
  target: () => { batchId?: string },
  onStop: () => void,
): () => void {
  let paused = false;
  const onData = (chunk: Buffer | string) => {
    for (const key of chunk.toString()) {
      if (key === 'p' || key === 'P') {
        paused = !paused;
        void (paused ? service.pauseIngest() : service.resumeIngest());
      } else if (key === 'c' || key === 'C') {
        void service.cancelIngest(target());
      } else if (key === '\u0003') {
        onStop();
      }
    }
  };
  input.setRawMode?.(true);
  input.resume?.();
  input.on('data', onData);
  return () => {
    input.off('data', onData);
    input.setRawMode?.(false);
    input.pause?.();
  };
}
