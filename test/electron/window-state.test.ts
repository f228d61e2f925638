import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import type { BrowserWindow } from 'electron';
import { resolveAppOrigin } from '../../electron/main/app-origin';
import { WINDOW_BACKGROUND, createMainWindow } from '../../electron/main/window';
import {
  DEFAULT_WINDOW_STATE,
  WINDOW_STATE_FILE,
  isReachable,
  loadWindowState,
  trackWindowState,
} from '../../electron/main/window-state';
import { tempDir } from '../helpers/tempDir';
import { FakeBrowserWindow, resetFakeElectron } from './fake-electron';

const origin = resolveAppOrigin({ isPackaged: true, devServerUrl: undefined, rendererIndexHtml: '/opt/q/out/renderer/index.html' });
const laptop = { workArea: { x: 0, y: 0, width: 1440, height: 870 } };
const rightMonitor = { workArea: { x: 1440, y: 0, width: 2560, height: 1400 } };

let dir: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  resetFakeElectron();
  dir = tempDir();
  file = path.join(dir.path, WINDOW_STATE_FILE);
});
afterEach(() => {
  vi.useRealTimers();
  dir.cleanup();
});

const write = (state: unknown) => writeFileSync(file, JSON.stringify(state));
const saved = () => JSON.parse(readFileSync(file, 'utf8')) as unknown;

describe('loadWindowState', () => {
  it('gives the default size, placed by the OS, on a first start or an unreadable file', () => {
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, '{not json');
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    write({ x: 1, y: 2, width: 'wide', height: 600 });
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('restores a place that is on a display, with the maximised flag', () => {
    write({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file, [laptop])).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
    write({ x: 2000, y: 100, width: 1200, height: 900, maximized: false });
    expect(loadWindowState(file, [laptop, rightMonitor])).toEqual({ x: 2000, y: 100, width: 1200, height: 900, maximized: false });
  });

  it('drops a place that is off every display (a monitor unplugged since), keeping the size', () => {
    write({ x: 2000, y: 100, width: 1200, height: 900, maximized: false });
    expect(loadWindowState(file, [laptop])).toEqual({ width: 1200, height: 900, maximized: false });
    write({ x: 100, y: -500, width: 1000, height: 400, maximized: false }); // title bar above the screen
    expect(loadWindowState(file, [laptop])).toEqual({ width: 1000, height: 480, maximized: false });
  });

  it('never restores a window smaller than its minimum size', () => {
    write({ x: 10, y: 10, width: 50, height: 20, maximized: false });
    expect(loadWindowState(file, [laptop])).toMatchObject({ width: 720, height: 480 });
  });

  it('isReachable needs the title bar on a display, not just a corner', () => {
    expect(isReachable({ x: 1400, y: 10, width: 800, height: 600 }, [laptop])).toBe(false); // 40 px of it
    expect(isReachable({ x: 1300, y: 10, width: 800, height: 600 }, [laptop])).toBe(true); // 140 px
    expect(isReachable({ x: 100, y: 860, width: 800, height: 600 }, [laptop])).toBe(false); // below the work area
    expect(isReachable({ x: 100, y: 100, width: 800, height: 600 }, [])).toBe(false);
  });
});

describe('trackWindowState', () => {
  it('saves the bounds once moving stops (debounced), and at once on close', () => {
    vi.useFakeTimers();
    const win = new FakeBrowserWindow({});
    trackWindowState(win as unknown as BrowserWindow, file, { debounceMs: 500 });
    for (let x = 0; x < 20; x++) {
      win.normalBounds = { x: 10 + x, y: 20, width: 1000, height: 700 };
      win.emit('move');
      vi.advanceTimersByTime(50);
    }
    expect(existsSync(file)).toBe(false);
    vi.advanceTimersByTime(500);
    expect(saved()).toEqual({ x: 29, y: 20, width: 1000, height: 700, maximized: false });

    win.normalBounds = { x: 5, y: 5, width: 900, height: 650 };
    win.emit('resize');
    win.maximized = true;
    win.emit('close', { preventDefault() {} });
    expect(saved()).toEqual({ x: 5, y: 5, width: 900, height: 650, maximized: true });
  });

  it('saved state round-trips into the next window', () => {
    const win = new FakeBrowserWindow({});
    trackWindowState(win as unknown as BrowserWindow, file);
    win.normalBounds = { x: 200, y: 120, width: 1100, height: 750 };
    win.emit('close', { preventDefault() {} });
    createMainWindow({ preloadPath: '/p', origin, state: loadWindowState(file, [laptop]) });
    const next = FakeBrowserWindow.instances.at(-1)!;
    expect(next.options).toMatchObject({ x: 200, y: 120, width: 1100, height: 750 });
  });

  it('a failed save is logged, not thrown', () => {
    const win = new FakeBrowserWindow({});
    const log = vi.fn();
    trackWindowState(win as unknown as BrowserWindow, path.join(file, 'not-a-dir', 'x.json'), { log });
    write({});
    expect(() => win.emit('close', { preventDefault() {} })).not.toThrow();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/could not save the window's position/));
  });
});

describe('createMainWindow', () => {
  it('paints the background of the OS theme before the page loads', () => {
    createMainWindow({ preloadPath: '/p', origin, dark: true });
    createMainWindow({ preloadPath: '/p', origin, dark: false });
    const [dark, light] = FakeBrowserWindow.instances;
    expect(dark!.options.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(light!.options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
  });

  it('matches the page: the same colours as --bg in styles.css', () => {
    const css = readFileSync(path.join(__dirname, '../../renderer/src/styles.css'), 'utf8');
    const light = /:root\s*{[^}]*--bg:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    const dark = /prefers-color-scheme:\s*dark\)\s*{\s*:root\s*{[^}]*--bg:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    expect({ light, dark }).toEqual(WINDOW_BACKGROUND);
  });

  it('without a saved place lets the OS place it; maximises a maximised one when it is first shown', () => {
    createMainWindow({ preloadPath: '/p', origin });
    const plain = FakeBrowserWindow.instances[0]!;
    expect(plain.options).not.toHaveProperty('x');
    expect(plain.options).toMatchObject({ width: DEFAULT_WINDOW_STATE.width, height: DEFAULT_WINDOW_STATE.height });

    createMainWindow({ preloadPath: '/p', origin, state: { width: 900, height: 600, maximized: true } });
    const big = FakeBrowserWindow.instances[1]!;
    expect(big.maximize).not.toHaveBeenCalled(); // maximize() would show the window before its first paint
    big.emit('ready-to-show');
    expect(big.maximize).toHaveBeenCalled();
    expect(big.show).toHaveBeenCalled();
  });
});
