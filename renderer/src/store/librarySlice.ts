import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import type { KbState, LibrarySlice } from './types';

export const createLibrarySlice =
  (client: KbClient): StateCreator<KbState, [], [], LibrarySlice> =>
  (set, get) => {
    // Refreshes can overlap (an event during a delete); only the latest answer is applied.
    let generation = 0;

    return {
      documents: [],
      libraryStatus: 'idle',
      libraryError: null,
      deleting: {},

      async refreshDocuments() {
        const mine = ++generation;
        if (get().libraryStatus !== 'ready') set({ libraryStatus: 'loading' });
        const r = await settle(() => client.listDocuments());
        if (mine !== generation) return;
        if (r.ok) set({ documents: r.value, libraryStatus: 'ready', libraryError: null });
        else set({ libraryStatus: get().libraryStatus === 'ready' ? 'ready' : 'error', libraryError: r.error });
      },

      async deleteDocument(id) {
        set((s) => ({ deleting: { ...s.deleting, [id]: true } }));
        const r = await settle(() => client.deleteDocument({ id }));
        set((s) => {
          const { [id]: _done, ...deleting } = s.deleting;
          if (!r.ok) return { deleting, libraryError: r.error };
          return {
            deleting,
            libraryError: null,
            documents: s.documents.filter((d) => d.id !== id),
            // Results pointing at a deleted document would lead nowhere.
            results: s.results.filter((h) => h.documentId !== id),
          };
        });
        // Refresh either way: a NotFound means the list was stale.
        void get().refreshDocuments();
        void get().refreshStatus();
        return r.ok || r.error.kind === 'NotFound';
      },

      dismissLibraryError() {
        set({ libraryError: null });
      },
    };
  };
