import { useStore } from 'zustand';
import { getKbClient } from '../kb/client';
import { createKbStore } from './createKbStore';
import type { KbState } from './types';

export const kbStore = createKbStore(getKbClient());

/** Select from the app store. Select primitives or existing references; derive arrays with useMemo. */
export function useKb<T>(selector: (s: KbState) => T): T {
  return useStore(kbStore, selector);
}

export type { KbState } from './types';
