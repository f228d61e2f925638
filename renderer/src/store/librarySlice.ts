import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import type { KbState, LibrarySlice } from './types';

export const createLibrarySlice =
  (client: KbClient): StateCreator<KbState, [], [], LibrarySlice> =>
  (set, get) => {
    // Refreshes can overlap (an event during a delete); only the latest answer is applied.
    let generation = 0;
    // The same for the watched folders: a list answered by unwatchFolder counts as an answer too.
    let watchGeneration = 0;

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

      watchedFolders: null,
      unwatching: {},
      watchError: null,

      async refreshWatchedFolders() {
        const mine = ++watchGeneration;
        const r = await settle(() => client.listWatchedFolders());
        // A failure here is the core being unreachable, which the connection banner reports.
        if (r.ok && mine === watchGeneration) set({ watchedFolders: r.value });
      },

      async unwatchFolder(path) {
        set((s) => ({ unwatching: { ...s.unwatching, [path]: true } }));
        const mine = ++watchGeneration;
        const r = await settle(() => client.unwatchFolder({ path }));
        // NotFound: it was no longer watched (the list was stale), which is what the user wanted.
        const gone = r.ok || r.error.kind === 'NotFound';
        set((s) => {
          const { [path]: _done, ...unwatching } = s.unwatching;
          if (!r.ok) return { unwatching, watchError: gone ? null : r.error };
          return { unwatching, watchError: null, ...(mine === watchGeneration ? { watchedFolders: r.value } : {}) };
        });
        // After a failure the list may be stale too (or an overlapping call's answer was skipped).
        if (!r.ok) await get().refreshWatchedFolders();
        return gone;
      },

      dismissWatchError() {
        set({ watchError: null });
      },
    };
  };
