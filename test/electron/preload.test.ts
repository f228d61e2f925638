import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import { KB_METHODS, ipcChannel, ipcEventChannel } from '../../core/api/channels';
import type { KbClient } from '../../core/api/contract';
import type { KbPlatform } from '../../electron/preload/kb-client';
import type { ElectronPlatform } from '../../renderer/src/kb/platform';
import { contextBridge, ipcRenderer, resetFakeElectron, webUtils } from './fake-electron';

// Compile-time: what the preload exposes is what the renderer expects (both directions).
const _toRenderer = (p: KbPlatform): ElectronPlatform => p;
const _fromRenderer = (p: ElectronPlatform): KbPlatform => p;

type Exposed = { kb: KbClient; kbPlatform: { kind: string; pathForFile(f: unknown): string } };

describe('preload', () => {
  let exposed: Exposed;
  beforeAll(async () => {
    resetFakeElectron();
    // The preload runs once, like in a page: it exposes its APIs at import time.
    await import('../../electron/preload/index');
    exposed = contextBridge.exposed as Exposed;
  });
  beforeEach(() => {
    ipcRenderer.removeAllListeners();
    ipcRenderer.invoke.mockReset();
    webUtils.getPathForFile.mockClear();
  });

  it('exposes window.kb and window.kbPlatform, nothing else', () => {
    expect(Object.keys(exposed).sort()).toEqual(['kb', 'kbPlatform']);
  });

  it('window.kb has exactly the contract methods plus `on`, all functions', () => {
    expect(Object.keys(exposed.kb).sort()).toEqual([...KB_METHODS, 'on'].sort());
    for (const v of Object.values(exposed.kb)) expect(typeof v).toBe('function');
  });

  it('each method invokes its channel with the raw input and returns the Result', async () => {
    const result = { ok: true, value: { hits: [] } };
    ipcRenderer.invoke.mockResolvedValue(result);
    await expect(exposed.kb.search({ query: 'q' })).resolves.toBe(result);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannel('search'), { query: 'q' });
    await exposed.kb.listDocuments();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('listDocuments'), undefined);
  });

  it('turns an IPC failure into an Internal Result instead of rejecting', async () => {
    ipcRenderer.invoke.mockRejectedValue(new Error("Error invoking remote method 'kb:getStatus': No handler registered"));
    const r = await exposed.kb.getStatus();
    expect(r).toMatchObject({ ok: false, error: { kind: 'Internal' } });
  });

  it('`on` relays the payload only (not the IpcRendererEvent) and returns an unsubscribe', () => {
    const listener = vi.fn();
    const off = exposed.kb.on('ingestProgress', listener);
    const fakeEvent = { sender: ipcRenderer, senderId: 0 };
    const payload = { jobId: 'j1', state: 'embedding' };
    ipcRenderer.emit(ipcEventChannel('ingestProgress'), fakeEvent, payload);
    expect(listener).toHaveBeenCalledExactlyOnceWith(payload);
    off();
    ipcRenderer.emit(ipcEventChannel('ingestProgress'), fakeEvent, payload);
    expect(listener).toHaveBeenCalledOnce();
    expect(ipcRenderer.listenerCount(ipcEventChannel('ingestProgress'))).toBe(0);
  });

  it('`on` refuses names that are not contract events (no arbitrary channel subscription)', () => {
    expect(() => exposed.kb.on('kb:search' as never, () => {})).toThrow(/Unknown event/);
    expect(ipcRenderer.eventNames()).toEqual([]);
  });

  it('window.kbPlatform maps a File to its path with webUtils', () => {
    expect(exposed.kbPlatform.kind).toBe('electron');
    const file = { name: 'notes.md' };
    expect(exposed.kbPlatform.pathForFile(file)).toBe('/dropped/notes.md');
    expect(webUtils.getPathForFile).toHaveBeenCalledWith(file);
  });
});
