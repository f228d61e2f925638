/**
 * Smoke test of what electron-vite actually built (`npx electron-vite build` runs first):
 * - out/main/index.js is loaded under the fake `electron` (vitest transforms files inside the
 *   project, so `vi.mock('electron')` also rewires the bundle's `import ... from "electron"`),
 *   with the real core service on a temporary QCKSTRT_DATA_DIR and the bundled embed worker;
 * - out/preload/index.cjs is run the way a sandboxed preload runs: plain script, no `import`,
 *   a `require` that knows only `electron`;
 * - out/main/parse-worker.js parses files in a worker thread with the bundled parsers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import { KB_METHODS, ipcChannel, ipcEventChannel } from '../../core/api/channels';
import { ParseWorker } from '../../core/ingest/parseWorker';
import { parseDocument } from '../../core/ingest/parsers';
import type { Result } from '../../core/api/errors';
import type { JobProgress, KbStatus } from '../../core/api/types';
import type { SearchResponse } from '../../core/api/search';
import { makeDocx, makePdf } from '../helpers/documents';
import * as fakeElectron from './fake-electron';
import { FakeBrowserWindow, FakeWebContents, app, contextBridge, invokeEventFrom, ipcMain, ipcRenderer, resetFakeElectron } from './fake-electron';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = path.join(ROOT, 'out');
const MAIN = path.join(OUT, 'main', 'index.js');
const WORKER = path.join(OUT, 'main', 'embed-worker.js');
const PARSE_WORKER = path.join(OUT, 'main', 'parse-worker.js');
const PRELOAD = path.join(OUT, 'preload', 'index.cjs');
const RENDERER = path.join(OUT, 'renderer', 'index.html');

function requireBuilt(file: string): void {
  if (!existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} is missing: run \`npx electron-vite build\` before this test (npm test builds first).`);
  }
}

describe('built main bundle (out/main/index.js) under a fake electron', () => {
  let dataDir: string;
  let win: FakeBrowserWindow;
  const savedEnv = { ...process.env };

  const call = async <T,>(m: (typeof KB_METHODS)[number], input: unknown, from: FakeWebContents = win.webContents) => {
    const handler = ipcMain.handlers.get(ipcChannel(m));
    if (!handler) throw new Error(`no handler for ${m}`);
    return (await handler(invokeEventFrom(from), input)) as Result<T>;
  };

  beforeAll(async () => {
    for (const f of [MAIN, WORKER, PRELOAD]) requireBuilt(f);
    resetFakeElectron();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'qckstrt-smoke-'));
    process.env.QCKSTRT_DATA_DIR = dataDir;
    delete process.env.ELECTRON_RENDERER_URL;
    app.appPath = ROOT; // unpackaged: resources come from <appPath>/resources

    await import(/* @vite-ignore */ pathToFileURL(MAIN).href);
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(ipcMain.handlers.size).toBe(0); // nothing before ready
    app.becomeReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
    win = FakeBrowserWindow.instances[0]!;
    await win.loadURL.mock.results[0]!.value;
  }, 30_000);

  afterAll(() => {
    process.env = savedEnv;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a handler for every contract method', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(KB_METHODS.map(ipcChannel).sort());
  });

  it('creates one window with the secure options, the built preload, and the built renderer', () => {
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: PRELOAD,
    });
    expect(win.loadURL).toHaveBeenCalledWith(pathToFileURL(RENDERER).href);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(win.webContents.navigate('will-navigate', 'https://example.com')).toBe(true);
  });

  it('answers the window through the real service on QCKSTRT_DATA_DIR', async () => {
    const status = await call<KbStatus>('getStatus', undefined);
    expect(status.ok, JSON.stringify(status)).toBe(true);
    if (status.ok) expect(status.value.dataDir).toBe(dataDir);
    expect(await call('listDocuments', undefined)).toEqual({ ok: true, value: [] });
  });

  it('refuses other senders and bad input', async () => {
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = pathToFileURL(RENDERER).href;
    expect(await call('listDocuments', undefined, stranger)).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    expect(await call('search', { query: '' })).toMatchObject({ ok: false, error: { kind: 'ValidationError' } });
  });

  it('indexes a file with the bundled embed worker, forwards progress, and finds it', async () => {
    const file = path.join(dataDir, 'sailing.txt');
    writeFileSync(file, 'The boat sailed across the sea under a strong wind. The sailors raised the sails at dawn.\n');
    const accepted = await call('ingestFiles', { paths: [file] });
    expect(accepted, JSON.stringify(accepted)).toMatchObject({ ok: true });

    const progressOf = () =>
      win.webContents.send.mock.calls
        .filter(([channel]) => channel === ipcEventChannel('ingestProgress'))
        .map(([, p]) => p as JobProgress);
    await vi.waitFor(
      () => {
        const last = progressOf().at(-1);
        expect(last?.state, JSON.stringify(last)).toBe('done');
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(win.webContents.send).toHaveBeenCalledWith(ipcEventChannel('documentsChanged'), { reason: 'indexed' });

    const found = await call<SearchResponse>('search', { query: 'ship on the ocean' });
    expect(found.ok, JSON.stringify(found)).toBe(true);
    if (found.ok) expect(found.value.hits[0]?.documentName).toBe('sailing.txt');
  }, 40_000);

  it('quits cleanly: will-quit waits for service.close(), then quits', async () => {
    let prevented = false;
    app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled(), { timeout: 10_000 });
    expect(ipcMain.handlers.size).toBe(0);
    // the database was closed: it can be reopened and read
    expect(existsSync(dataDir)).toBe(true);
  }, 15_000);
});

describe('built preload (out/preload/index.cjs) as a sandboxed preload', () => {
  it('is one CommonJS script whose only require is electron, exposing window.kb and window.kbPlatform', () => {
    requireBuilt(PRELOAD);
    const code = readFileSync(PRELOAD, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/ZodError|z\.object\(|\$ZodType/); // no schemas in the preload

    contextBridge.exposed = {};
    ipcRenderer.removeAllListeners();
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return fakeElectron;
      throw new Error(`module not found: ${id}`);
    };
    vm.runInNewContext(code, { require: sandboxRequire, module: { exports: {} }, exports: {} }, { filename: PRELOAD });

    expect(Object.keys(contextBridge.exposed).sort()).toEqual(['kb', 'kbPlatform']);
    const kb = contextBridge.exposed.kb as Record<string, unknown>;
    expect(Object.keys(kb).sort()).toEqual([...KB_METHODS, 'on'].sort());
    expect((contextBridge.exposed.kbPlatform as { kind: string }).kind).toBe('electron');
  });
});

describe('built parse worker (out/main/parse-worker.js)', () => {
  it('parses a PDF and a Word document in a worker thread with the bundled parsers', async () => {
    requireBuilt(PARSE_WORKER);
    const pw = new ParseWorker({ workerPath: PARSE_WORKER });
    try {
      const pdf = makePdf([['Parsed by the bundle'], ['Second page']]);
      const docx = await makeDocx(['A bundled paragraph.']);
      expect(await pw.parse(pdf, 'bundle.pdf')).toEqual(await parseDocument(pdf, 'bundle.pdf'));
      expect(await pw.parse(docx, 'bundle.docx')).toEqual(await parseDocument(docx, 'bundle.docx'));
    } finally {
      await pw.close();
    }
  });
});
