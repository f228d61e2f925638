import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { writeFileAtomic } from '../../core/util/atomicWrite';

/** Kept in userData beside the settings; only geometry, nothing private. */
export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  /** Absent: let the OS place the window (first start, or the saved place is off every display). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 480 };

/** How much of the window's title bar must be on a display to count as reachable. */
const MIN_VISIBLE = { width: 100, height: 40 };

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * True when the window's top strip (where it is grabbed to move it) lies enough on some display's
 * work area: a monitor unplugged since the last run would otherwise leave it out of reach.
 */
export function isReachable(bounds: Rectangle, displays: { workArea: Rectangle }[]): boolean {
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, MIN_VISIBLE.height) };
  return displays.some(({ workArea }) => {
    const o = overlap(titleBar, workArea);
    return o.width >= Math.min(MIN_VISIBLE.width, bounds.width) && o.height >= Math.min(MIN_VISIBLE.height, titleBar.height);
  });
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * The saved state, checked: missing, unreadable or nonsensical files give the default; a saved
 * place off every display keeps its size and drops its position.
 */
export function loadWindowState(file: string, displays: { workArea: Rectangle }[]): WindowState {
  if (!existsSync(file)) return { ...DEFAULT_WINDOW_STATE };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (!raw || typeof raw !== 'object' || !isInt(raw.width) || !isInt(raw.height)) return { ...DEFAULT_WINDOW_STATE };
  const width = Math.max(raw.width, MIN_WINDOW_SIZE.width);
  const height = Math.max(raw.height, MIN_WINDOW_SIZE.height);
  const maximized = raw.maximized === true;
  if (isInt(raw.x) && isInt(raw.y) && isReachable({ x: raw.x, y: raw.y, width, height }, displays)) {
    return { x: raw.x, y: raw.y, width, height, maximized };
  }
  return { width, height, maximized };
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(state) + '\n');
}

/** What to save: the un-maximised bounds, so restoring a maximised window un-maximises to them. */
export function currentWindowState(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

/**
 * Saves the window's bounds when it moves or resizes (debounced: dragging emits dozens of events a
 * second) and at once when it closes. Returns a function that saves any pending change now.
 */
export function trackWindowState(
  win: BrowserWindow,
  file: string,
  opts: { debounceMs?: number; log?: (message: string) => void } = {},
): () => void {
  const debounceMs = opts.debounceMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    try {
      saveWindowState(file, currentWindowState(win));
    } catch (err) {
      (opts.log ?? console.warn)(`[qckstrt] could not save the window's position: ${(err as Error).message}`);
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  win.on('move', later);
  win.on('resize', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
  return () => {
    if (timer) save();
  };
}
