import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KbClient } from '../../../core/api';
import { createIngestionSlice } from './ingestionSlice';
import { createLibrarySlice } from './librarySlice';
import { createSearchSlice } from './searchSlice';
import { createStatusSlice } from './statusSlice';
import type { KbState } from './types';

export type KbStore = StoreApi<KbState>;

/** One store from typed slices; the client is injected so tests can pass a fake. */
export function createKbStore(client: KbClient): KbStore {
  return createStore<KbState>()((...a) => ({
    ...createLibrarySlice(client)(...a),
    ...createIngestionSlice(client)(...a),
    ...createSearchSlice(client)(...a),
    ...createStatusSlice(client)(...a),
  }));
}
