import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { KB_EVENTS, KB_METHODS, ipcChannel, ipcEventChannel } from '../../core/api/channels';
import { KbError } from '../../core/api/errors';
import { isAppUrl, resolveAppOrigin } from '../../electron/main/app-origin';
import { createKbHandler, forwardKbEvents, registerKbIpc, type KbIpcDeps } from '../../electron/main/ipc';
import {
  FakeBrowserWindow,
  FakeWebContents,
  FakeWebFrameMain,
  invokeEventFrom,
  ipcMain,
  resetFakeElectron,
  shell,
} from './fake-electron';
import { createFakeService } from './fake-service';

const INDEX_HTML = '/opt/qckstrt/out/renderer/index.html';
const APP_URL = `file://${INDEX_HTML}`;
const origin = resolveAppOrigin({ isPackaged: true, devServerUrl: undefined, rendererIndexHtml: INDEX_HTML });

function setup() {
  resetFakeElectron();
  const win = new FakeBrowserWindow({});
  win.webContents.mainFrame.url = `${APP_URL}#/search`;
  const fake = createFakeService();
  const log = vi.fn();
  const deps: KbIpcDeps = {
    ipcMain: ipcMain as unknown as KbIpcDeps['ipcMain'],
    service: fake.service,
    getWindow: () => win as unknown as BrowserWindow,
    isAppUrl: (url) => isAppUrl(origin, url),
    log,
  };
  const call = (m: (typeof KB_METHODS)[number], raw: unknown, event: unknown = invokeEventFrom(win.webContents)) =>
    createKbHandler(m, deps)(event as IpcMainInvokeEvent, raw);
  return { win, fake, deps, call, log };
}

describe('IPC wrapper: sender check', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it('answers the main frame of our window showing our page', async () => {
    const r = await s.call('getStatus', undefined);
    expect(r).toEqual({ ok: true, value: { method: 'getStatus', input: undefined } });
  });

  it('rejects a call without a sender frame (frame gone or navigated away)', async () => {
    const r = await s.call('listDocuments', undefined, invokeEventFrom(s.win.webContents, null));
    expect(r).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    expect(s.fake.calls.listDocuments).not.toHaveBeenCalled();
  });

  it('rejects a subframe of our window, even one showing our URL', async () => {
    const child = new FakeWebFrameMain(APP_URL, s.win.webContents.mainFrame.processId);
    child.parent = s.win.webContents.mainFrame;
    const r = await s.call('deleteDocument', { id: 'd1' }, invokeEventFrom(s.win.webContents, child));
    expect(r).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    expect(s.fake.calls.deleteDocument).not.toHaveBeenCalled();
  });

  it('rejects another web contents (another window, a webview, devtools)', async () => {
    const other = new FakeWebContents();
    other.mainFrame.url = APP_URL;
    const r = await s.call('getSettings', undefined, invokeEventFrom(other));
    expect(r).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
  });

  it('rejects our main frame once it shows a foreign URL', async () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/qckstrt/out/renderer/other.html', 'about:blank', 'data:text/html,hi']) {
      s.win.webContents.mainFrame.url = url;
      const r = await s.call('search', { query: 'x' });
      expect(r, url).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    }
    expect(s.fake.calls.search).not.toHaveBeenCalled();
  });

  it('rejects when the window is gone', async () => {
    s.win.close();
    const r = await s.call('getStatus', undefined);
    expect(r).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
  });

  it('in development, trusts the dev server origin and nothing else', async () => {
    const dev = resolveAppOrigin({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexHtml: INDEX_HTML });
    s.deps.isAppUrl = (url) => isAppUrl(dev, url);
    s.win.webContents.mainFrame.url = 'http://localhost:5173/#/library';
    expect(await s.call('getStatus', undefined)).toMatchObject({ ok: true });
    s.win.webContents.mainFrame.url = 'http://localhost:5174/';
    expect(await s.call('getStatus', undefined)).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
  });
});

describe('IPC wrapper: validation', () => {
  it.each([
    ['search', { query: '   ' }],
    ['search', { query: 'x', k: 1000 }],
    ['search', { query: 'x', extra: true }],
    ['ingestFiles', { paths: [] }],
    ['ingestFiles', 'not an object'],
    ['deleteDocument', {}],
    ['ingestUpload', { name: 'a.txt', bytes: 'not bytes' }],
    ['listDocuments', { unexpected: 1 }],
    ['updateSettings', { vector: { provider: 'mongodb' } }],
  ] as const)('%s(%j) → ValidationError, service not called', async (m, raw) => {
    const s = setup();
    const r = await s.call(m, raw);
    expect(r).toMatchObject({ ok: false, error: { kind: 'ValidationError' } });
    expect(s.fake.calls[m]).not.toHaveBeenCalled();
  });

  it('passes the parsed input (defaults applied) to the service', async () => {
    const s = setup();
    const r = await s.call('search', { query: 'hello' });
    expect(s.fake.calls.search).toHaveBeenCalledWith({ query: 'hello', k: 10, mode: 'hybrid' });
    expect(r).toEqual({ ok: true, value: { method: 'search', input: { query: 'hello', k: 10, mode: 'hybrid' } } });
  });

  it('accepts upload bytes as a Uint8Array', async () => {
    const s = setup();
    const bytes = new Uint8Array([104, 105]);
    const r = await s.call('ingestUpload', { name: 'hi.txt', bytes });
    expect(r).toMatchObject({ ok: true });
    expect(s.fake.calls.ingestUpload).toHaveBeenCalledWith({ name: 'hi.txt', bytes });
  });
});

describe('IPC wrapper: results and errors', () => {
  it('a thrown KbError keeps its kind and message', async () => {
    const s = setup();
    s.fake.calls.deleteDocument.mockRejectedValueOnce(new KbError('NotFound', 'No document with id d9'));
    const r = await s.call('deleteDocument', { id: 'd9' });
    expect(r).toEqual({ ok: false, error: { kind: 'NotFound', message: 'No document with id d9' } });
    expect(s.log).not.toHaveBeenCalled();
  });

  it('a plain Error becomes Internal, with its message and no stack', async () => {
    const s = setup();
    s.fake.calls.search.mockRejectedValueOnce(new Error('database is locked'));
    const r = await s.call('search', { query: 'q' });
    expect(r).toEqual({ ok: false, error: { kind: 'Internal', message: 'database is locked' } });
    expect(JSON.stringify(r)).not.toMatch(/at .*\.ts|stack/);
    expect(s.log).toHaveBeenCalledOnce(); // the stack stays in the main process's log
  });

  it('something thrown that is not an Error becomes Internal too', async () => {
    const s = setup();
    s.fake.calls.getStatus.mockRejectedValueOnce('boom');
    expect(await s.call('getStatus', undefined)).toEqual({ ok: false, error: { kind: 'Internal', message: 'boom' } });
  });

  it('never rejects, even when the service failed to start', async () => {
    const s = setup();
    const failed = Promise.reject(new KbError('ProviderUnavailable', 'Cannot open the database'));
    failed.catch(() => {});
    s.deps.service = failed;
    await expect(s.call('listJobs', undefined)).resolves.toEqual({
      ok: false,
      error: { kind: 'ProviderUnavailable', message: 'Cannot open the database' },
    });
  });

  it('waits for a service that is still starting', async () => {
    const s = setup();
    let resolve!: (v: typeof s.fake.service) => void;
    s.deps.service = new Promise((r) => (resolve = r));
    const pending = s.call('getStatus', undefined);
    resolve(s.fake.service);
    expect(await pending).toMatchObject({ ok: true });
  });
});

describe('openDocument: the shell opens what the core found', () => {
  const KEPT = '/data/files/ab/abcdef';

  it('opens the path the core answered with the system app, and says so', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockResolvedValueOnce({ opened: false, path: KEPT });
    const r = await s.call('openDocument', { id: 'd1', page: 3 });
    expect(s.fake.calls.openDocument).toHaveBeenCalledWith({ id: 'd1', page: 3 });
    expect(shell.openPath).toHaveBeenCalledExactlyOnceWith(KEPT);
    expect(r).toEqual({ ok: true, value: { opened: true, path: KEPT } });
  });

  it('turns the reason shell.openPath gives into a failed Result', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockResolvedValueOnce({ opened: false, path: KEPT });
    shell.openPath.mockResolvedValueOnce('No application is associated with the specified file');
    const r = await s.call('openDocument', { id: 'd1' });
    expect(r).toEqual({
      ok: false,
      error: { kind: 'Internal', message: `Could not open ${KEPT}: No application is associated with the specified file` },
    });
  });

  it('passes the core\'s NotFound on and opens nothing', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockRejectedValueOnce(new KbError('NotFound', 'No document with id gone'));
    expect(await s.call('openDocument', { id: 'gone' })).toEqual({ ok: false, error: { kind: 'NotFound', message: 'No document with id gone' } });
    expect(shell.openPath).not.toHaveBeenCalled();
  });

  it('keeps the sender check and validation in front of the shell', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockResolvedValue({ opened: false, path: KEPT });
    const other = new FakeWebContents();
    other.mainFrame.url = APP_URL;
    expect(await s.call('openDocument', { id: 'd1' }, invokeEventFrom(other))).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    expect(await s.call('openDocument', { id: 'd1', page: 0 })).toMatchObject({ ok: false, error: { kind: 'ValidationError' } });
    expect(shell.openPath).not.toHaveBeenCalled();
  });

  it('with reveal, shows the file in its folder instead of opening it', async () => {
    const s = setup();
    const SOURCE = '/home/me/notes/plants.md';
    s.fake.calls.openDocument.mockResolvedValueOnce({ opened: false, path: SOURCE });
    const r = await s.call('openDocument', { id: 'd1', reveal: true });
    expect(s.fake.calls.openDocument).toHaveBeenCalledWith({ id: 'd1', reveal: true });
    expect(shell.showItemInFolder).toHaveBeenCalledExactlyOnceWith(SOURCE);
    expect(shell.openPath).not.toHaveBeenCalled();
    expect(r).toEqual({ ok: true, value: { opened: true, path: SOURCE } });
  });

  it('with reveal, passes NotFound on and shows nothing', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockRejectedValueOnce(new KbError('NotFound', 'No document with id gone'));
    expect(await s.call('openDocument', { id: 'gone', reveal: true })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
    expect(shell.showItemInFolder).not.toHaveBeenCalled();
  });

  it('is registered on its channel like every other method', async () => {
    const s = setup();
    s.fake.calls.openDocument.mockResolvedValueOnce({ opened: false, path: KEPT });
    registerKbIpc(s.deps);
    const handler = ipcMain.handlers.get(ipcChannel('openDocument'))!;
    expect(await handler(invokeEventFrom(s.win.webContents), { id: 'd1' })).toEqual({ ok: true, value: { opened: true, path: KEPT } });
    expect(shell.openPath).toHaveBeenCalledWith(KEPT);
  });
});

describe('registerKbIpc', () => {
  it('registers exactly one handler per contract method, and removes them', async () => {
    const s = setup();
    const dispose = registerKbIpc(s.deps);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(KB_METHODS.map(ipcChannel).sort());
    const handler = ipcMain.handlers.get(ipcChannel('getStatus'))!;
    expect(await handler(invokeEventFrom(s.win.webContents), undefined)).toMatchObject({ ok: true });
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('forwardKbEvents', () => {
  it('sends every core event to the window on its event channel, until stopped', () => {
    const s = setup();
    const stop = forwardKbEvents(s.fake.service, () => s.win as unknown as BrowserWindow);
    for (const e of KB_EVENTS) expect(s.fake.listenerCount(e)).toBe(1);
    s.fake.emit('documentsChanged', { reason: 'indexed' });
    expect(s.win.webContents.send).toHaveBeenCalledWith(ipcEventChannel('documentsChanged'), { reason: 'indexed' });
    stop();
    for (const e of KB_EVENTS) expect(s.fake.listenerCount(e)).toBe(0);
  });

  it('drops events while there is no live window', () => {
    const s = setup();
    forwardKbEvents(s.fake.service, () => null);
    expect(() => s.fake.emit('documentsChanged', { reason: 'deleted' })).not.toThrow();
    s.win.webContents.destroyed = true;
    forwardKbEvents(s.fake.service, () => s.win as unknown as BrowserWindow);
    s.fake.emit('documentsChanged', { reason: 'deleted' });
    expect(s.win.webContents.send).not.toHaveBeenCalled();
  });
});
