import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import type { KbState, ReaderSlice } from './types';

export const createReaderSlice =
  (client: KbClient): StateCreator<KbState, [], [], ReaderSlice> =>
  (set, get) => {
    // Opening another passage (or closing) while a document loads makes that answer stale.
    let latest = 0;

    return {
      reader: null,

      async openReader(target) {
        const mine = ++latest;
        set({ reader: { target, status: 'loading', doc: null, error: null }, openError: null });
        const { documentId: id, charStart, charEnd, query } = target;
        const r = await settle(() =>
          client.readDocument({
            id,
            ...(charStart !== undefined ? { charStart } : {}),
            ...(charEnd !== undefined ? { charEnd } : {}),
            ...(query?.trim() ? { query: query.trim() } : {}),
          }),
        );
        if (mine !== latest) return;
        set({ reader: r.ok ? { target, status: 'ready', doc: r.value, error: null } : { target, status: 'error', doc: null, error: r.error } });
        // The document is gone: the library list is stale too.
        if (!r.ok && r.error.kind === 'NotFound') void get().refreshDocuments();
      },

      closeReader() {
        latest++;
        // An Open failure shown in the reader goes with it.
        set({ reader: null, openError: null });
      },
    };
  };
