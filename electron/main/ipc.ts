import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  KB_EVENTS,
  KB_METHODS,
  ipcChannel,
  ipcEventChannel,
  type KbMethod,
} from '../../core/api/channels';
import type { KbApi, MethodOutput, ParsedInput } from '../../core/api/contract';
import { KbError, toErrorShape, type Result } from '../../core/api/errors';
import { parseInput } from '../../core/api/parse';
import { redactConnectionStrings } from '../../core/api/postgresUrl';
import { SHELL_METHODS, type ShellMethod } from './shell-methods';

export interface KbIpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /**
   * The service, or the promise of it while it starts: calls made before it is ready wait for
   * it, and if it failed to start every call answers with that error.
   */
  service: KbApi | Promise<KbApi>;
  /** The app's window (the only web contents allowed to call). */
  getWindow: () => BrowserWindow | null;
  /** Whether a URL is the app's own page (see app-origin.ts). */
  isAppUrl: (url: string) => boolean;
  log?: (message: string, err?: unknown) => void;
}

type Handler = (event: IpcMainInvokeEvent, raw: unknown) => Promise<Result<unknown>>;

/**
 * Only the main frame of our window, showing our page, may call: not an iframe, not another
 * window, not our window after it has been navigated somewhere else.
 */
export function senderIsTrusted(
  event: IpcMainInvokeEvent,
  getWindow: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const win = getWindow();
  if (!win || win.isDestroyed()) return false;
  const contents: WebContents = win.webContents;
  if (event.sender !== contents) return false;
  const main = contents.mainFrame;
  const isMainFrame =
    frame === main ||
    (frame.parent === null && frame.processId === main.processId && frame.frameToken === main.frameToken);
  return isMainFrame && isAppUrl(frame.url);
}

/**
 * Builds the handler for one method. It never throws: everything comes back as a Result, and an
 * error crosses as `{ kind, message }` only (Electron would keep just the message of a thrown
 * error, and a stack must not leave the main process). Methods in SHELL_METHODS (opening a file
 * with the system's app) are answered by the shell around the core, behind the same checks.
 */
export function createKbHandler<M extends KbMethod>(m: M, deps: KbIpcDeps): Handler {
  const log = deps.log ?? defaultLog;
  return async (event, raw) => {
    try {
      if (!senderIsTrusted(event, deps.getWindow, deps.isAppUrl)) {
        throw new KbError('Unauthorized', `${m} may only be called by the app's own window`);
      }
      const input = parseInput(m, raw);
      const service = await deps.service;
      const own = SHELL_METHODS[m] as ShellMethod<M> | undefined;
      const call = service[m] as (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
      const value = own ? await own(input, service) : await call.call(service, input);
      return { ok: true, value };
    } catch (err) {
      const error = toErrorShape(err);
      // The stack stays in the main process's log, with any connection string's password hidden.
      if (error.kind === 'Internal') log(`[qckstrt] ${m} failed unexpectedly`, err instanceof Error ? redactConnectionStrings(err.stack ?? error.message) : error.message);
      return { ok: false, error };
    }
  };
}

/**
 * THE registration point for the contract over IPC: one handler per method in KB_METHODS.
 * Returns a function that removes them again.
 */
export function registerKbIpc(deps: KbIpcDeps): () => void {
  for (const m of KB_METHODS) deps.ipcMain.handle(ipcChannel(m), createKbHandler(m, deps));
  return () => {
    for (const m of KB_METHODS) deps.ipcMain.removeHandler(ipcChannel(m));
  };
}

/**
 * Pushes core events to the window on `kb:event:<name>`. Events that arrive while there is no
 * window (macOS, all windows closed) are dropped; the renderer re-reads state when it starts.
 */
export function forwardKbEvents(service: KbApi, getWindow: () => BrowserWindow | null): () => void {
  const offs = KB_EVENTS.map((e) =>
    service.on(e, (payload) => {
      const win = getWindow();
      if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
      win.webContents.send(ipcEventChannel(e), payload);
    }),
  );
  return () => offs.forEach((off) => off());
}

function defaultLog(message: string, err?: unknown): void {
  console.error(message, err);
}
