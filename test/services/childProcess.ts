import type { ChildProcess } from 'node:child_process';

/** Whether a spawned process has ended (by exit code or by signal). */
export const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Resolves true once the process has exited, or false after `ms`. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Sends a signal to the process by PID, unless it is already gone. */
export function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid && !exited(child)) process.kill(child.pid, sig);
  } catch {
    // Already gone (ESRCH).
  }
}
