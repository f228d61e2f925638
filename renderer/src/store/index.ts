import { useStore } from 'zustand';
import { getKbClient, getServerToken } from '../kb/client';
import { createKbStore } from './createKbStore';
import type { KbState } from './types';

export const kbStore = createKbStore(getKbClient(), {
  // noopener: the original's tab gets no handle on this page (it is sandboxed by its CSP as well).
  openUrl: (url) => void window.open(url, '_blank', 'noopener'),
  serverToken: getServerToken,
});

/** Select from the app store. Select primitives or existing references; derive arrays with useMemo. */
export function useKb<T>(selector: (s: KbState) => T): T {
  return useStore(kbStore, selector);
}

export type { KbState } from './types';
