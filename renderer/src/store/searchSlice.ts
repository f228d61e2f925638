import type { StateCreator } from 'zustand';
import type { KbClient, KbErrorShape } from '../../../core/api';
import { settle } from '../kb/unwrap';
import { hitPage, isPdf, nextOpenStep } from '../logic/openDocument';
import type { KbState, SearchSlice, StoreEnv } from './types';

export const createSearchSlice =
  (client: KbClient, env: StoreEnv = {}): StateCreator<KbState, [], [], SearchSlice> =>
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
        set({ searchStatus: 'searching', searchError: null, openError: null });
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

      opening: {},
      openError: null,

      async openResult(hit) {
        const key = hit.chunkId;
        if (get().opening[key]) return;
        set((s) => ({ opening: { ...s.opening, [key]: true }, openError: null }));
        const page = hitPage(hit);
        const r = await settle(() => client.openDocument({ id: hit.documentId, ...(page !== undefined ? { page } : {}) }));
        let error: KbErrorShape | null = r.ok ? null : r.error;
        if (r.ok) {
          const mimeType = get().documents.find((d) => d.id === hit.documentId)?.mimeType;
          const step = nextOpenStep(r.value, { token: env.serverToken?.() ?? null, page, pdf: isPdf(hit.documentName, mimeType) });
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
