import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import type { KbState, SearchSlice } from './types';

export const createSearchSlice =
  (client: KbClient): StateCreator<KbState, [], [], SearchSlice> =>
  (set, get) => {
    // Answers can come back out of order when the user searches again quickly.
    let latest = 0;

    return {
      query: '',
      resultsFor: '',
      results: [],
      searchStatus: 'idle',
      searchError: null,
      tookMs: null,

      setQuery(query) {
        set({ query });
      },

      async runSearch() {
        const query = get().query.trim();
        const mine = ++latest;
        if (query === '') {
          set({ searchStatus: 'idle', results: [], resultsFor: '', searchError: null, tookMs: null });
          return;
        }
        set({ searchStatus: 'searching', searchError: null });
        const r = await settle(() => client.search({ query }));
        if (mine !== latest) return;
        if (r.ok) {
          set({ searchStatus: 'done', results: r.value.hits, resultsFor: query, tookMs: r.value.tookMs });
        } else {
          set({ searchStatus: 'error', searchError: r.error, results: [], resultsFor: query, tookMs: null });
        }
      },

      clearSearch() {
        latest++;
        set({ query: '', resultsFor: '', results: [], searchStatus: 'idle', searchError: null, tookMs: null });
      },
    };
  };
