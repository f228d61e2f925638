import type { StateCreator } from 'zustand';
import type { KbClient, KbErrorShape } from '../../../core/api';
import { settle } from '../kb/unwrap';
import { hitPage, isPdf, nextOpenStep } from '../logic/openDocument';
import { NO_FILTERS, filterProblem, toSearchFilters } from '../logic/searchFilters';
import type { KbState, SearchSlice, StoreEnv } from './types';

/** How long typing must pause before the box searches by itself. */
export const SEARCH_DEBOUNCE_MS = 250;

export const createSearchSlice =
  (client: KbClient, env: StoreEnv = {}): StateCreator<KbState, [], [], SearchSlice> =>
  (set, get) => {
    // Answers can come back out of order when the user searches again quickly.
    let latest = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;

    const searchSoon = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void get().runSearch(), SEARCH_DEBOUNCE_MS);
    };
    const cleared: Partial<KbState> = { resultsFor: '', results: [], resultsInfo: null, searchStatus: 'idle', searchError: null, filterProblem: null };

    return {
      query: '',
      resultsFor: '',
      results: [],
      resultsInfo: null,
      searchStatus: 'idle',
      searchError: null,
      mode: 'hybrid',
      filters: NO_FILTERS,
      filterProblem: null,

      setQuery(query) {
        set({ query });
        searchSoon();
      },

      async runSearch() {
        clearTimeout(pending);
        const { mode, filters: draft } = get();
        const query = get().query.trim();
        const mine = ++latest;
        if (query === '') {
          set(cleared);
          return;
        }
        const filters = toSearchFilters(draft);
        set({ searchStatus: 'searching', searchError: null, openError: null });
        const r = await settle(() => client.search({ query, mode, ...(filters ? { filters } : {}) }));
        if (mine !== latest) return;
        if (r.ok) {
          const { hits, correctedQuery, weak, tookMs } = r.value;
          set({
            searchStatus: 'done',
            results: hits,
            resultsFor: query,
            resultsInfo: { mode: r.value.mode, weak, tookMs, filtered: filters !== undefined, ...(correctedQuery ? { correctedQuery } : {}) },
            filterProblem: null,
          });
          return;
        }
        const problem = filterProblem(r.error);
        set({
          searchStatus: 'error',
          searchError: problem ? null : r.error,
          filterProblem: problem,
          results: [],
          resultsFor: query,
          resultsInfo: null,
        });
      },

      clearSearch() {
        clearTimeout(pending);
        latest++;
        set({ query: '', ...cleared });
      },

      setMode(mode) {
        set({ mode });
        if (get().query.trim() !== '') void get().runSearch();
      },

      setFilters(patch) {
        set((s) => ({
          filters: { ...s.filters, ...patch },
          // Editing the refused filter takes its message away; the next search judges the new value.
          filterProblem: s.filterProblem && s.filterProblem.field in patch ? null : s.filterProblem,
        }));
        if (get().query.trim() !== '') searchSoon();
      },

      clearFilters() {
        set({ filters: NO_FILTERS, filterProblem: null });
        if (get().query.trim() !== '') void get().runSearch();
      },

      opening: {},
      openError: null,

      async openResult(target) {
        const key = target.chunkId;
        if (get().opening[key]) return;
        set((s) => ({ opening: { ...s.opening, [key]: true }, openError: null }));
        const page = hitPage(target);
        const r = await settle(() => client.openDocument({ id: target.documentId, ...(page !== undefined ? { page } : {}) }));
        let error: KbErrorShape | null = r.ok ? null : r.error;
        if (r.ok) {
          const mimeType = get().documents.find((d) => d.id === target.documentId)?.mimeType;
          const step = nextOpenStep(r.value, { token: env.serverToken?.() ?? null, page, pdf: isPdf(target.documentName, mimeType) });
          if (step.kind === 'error') error = step.error;
          else if (step.kind === 'openUrl') {
            if (env.openUrl) env.openUrl(step.url);
            else error = { kind: 'Internal', message: 'This window cannot open a new tab.' };
          }
        }
        set((s) => {
          const { [key]: _done, ...opening } = s.opening;
          return { opening, openError: error };
        });
        // The document or its original is gone: the library list is stale too.
        if (error?.kind === 'NotFound') void get().refreshDocuments();
      },

      dismissOpenError() {
        set({ openError: null });
      },
    };
  };
