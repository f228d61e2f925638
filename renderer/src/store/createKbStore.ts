import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KbClient } from '../../../core/api';
import { createAskSlice } from './askSlice';
import { createBackupSlice } from './backupSlice';
import { createIngestionSlice } from './ingestionSlice';
import { createLibrarySlice } from './librarySlice';
import { createLibraryTableSlice } from './libraryTableSlice';
import { createReaderSlice } from './readerSlice';
import { createSearchSlice } from './searchSlice';
import { createSettingsSlice } from './settingsSlice';
import { createStatusSlice } from './statusSlice';
import { createToastSlice } from './toastSlice';
import type { KbState, StoreEnv } from './types';
import { createViewSlice } from './viewSlice';

export type KbStore = StoreApi<KbState>;

/** One store from typed slices; the client (and the page's abilities) are injected so tests can pass fakes. */
export function createKbStore(client: KbClient, env: StoreEnv = {}): KbStore {
  return createStore<KbState>()((...a) => ({
    ...createLibrarySlice(client)(...a),
    ...createLibraryTableSlice(client)(...a),
    ...createIngestionSlice(client)(...a),
    ...createSearchSlice(client, env)(...a),
    ...createReaderSlice(client)(...a),
    ...createAskSlice(client, env)(...a),
    ...createViewSlice(...a),
    ...createStatusSlice(client)(...a),
    ...createToastSlice(...a),
    ...createSettingsSlice(client)(...a),
    ...createBackupSlice(client)(...a),
  }));
}
