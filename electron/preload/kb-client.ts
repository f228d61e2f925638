import {
  KB_EVENTS,
  KB_METHODS,
  ipcChannel,
  ipcEventChannel,
  type KbEventName,
  type KbMethod,
} from '../../core/api/channels';
// Type-only: erased from the bundle, so the preload carries no zod and no contract code.
import type { KbClient } from '../../core/api/contract';
import type { Result } from '../../core/api/errors';

/** The slice of `ipcRenderer` the client needs (an interface, so tests can pass a fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function transportFailure(m: KbMethod, err: unknown): Result<never> {
  // Reached only when IPC itself fails (e.g. no handler registered yet); the main side never
  // rejects. Electron's message looks like "Error invoking remote method 'kb:search': ...".
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { kind: 'Internal', message: `${m}: ${message}` } };
}

/**
 * `window.kb`: exactly the contract's methods plus `on`. Methods resolve to a Result and never
 * reject; listeners get the payload only, never the IpcRendererEvent (which would hand the page
 * `sender`, i.e. ipcRenderer itself).
 */
export function createKbClient(ipc: IpcRendererLike): KbClient {
  const client: Record<string, unknown> = {};
  for (const m of KB_METHODS) {
    client[m] = (input?: unknown): Promise<Result<unknown>> =>
      ipc.invoke(ipcChannel(m), input).then(
        (result) => result as Result<unknown>,
        (err: unknown) => transportFailure(m, err),
      );
  }
  client.on = (event: KbEventName, listener: (payload: unknown) => void): (() => void) => {
    if (!(KB_EVENTS as readonly string[]).includes(event)) {
      throw new TypeError(`Unknown event: ${String(event)}`);
    }
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const channel = ipcEventChannel(event);
    const relay = (_event: unknown, payload: unknown): void => listener(payload);
    ipc.on(channel, relay);
    return () => {
      ipc.removeListener(channel, relay);
    };
  };
  return client as KbClient;
}

/** `window.kbPlatform`: what only the desktop shell can do. */
export interface KbPlatform {
  kind: 'electron';
  /** Absolute path of a dropped/picked File ('' for a File that is not on disk). */
  pathForFile(file: File): string;
}
