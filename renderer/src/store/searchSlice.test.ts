import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, ok } from '../testing/fakeClient';
import { searchHit, searchResponse } from '../testing/searchHit';
import { createKbStore } from './createKbStore';
import { SEARCH_DEBOUNCE_MS } from './searchSlice';

type SearchInput = { query: string; mode?: string; filters?: unknown };

function searchingStore(answer: (input: SearchInput) => ReturnType<typeof ok> = (i) => ok(searchResponse(i.query, [searchHit(i.query)]))) {
  const fake = fakeClient({ search: (input) => answer(input as SearchInput) });
  const store = createKbStore(fake.client);
  const searches = () => fake.calls.filter((c) => c.method === 'search').map((c) => c.input as SearchInput);
  return { store, searches };
}

describe('search slice: as you type', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once typing pauses, with the last query only', async () => {
    const { store, searches } = searchingStore();
    for (const q of ['r', 're', 'ref']) {
      store.getState().setQuery(q);
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 50);
    }
    expect(searches()).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(searches()).toEqual([{ query: 'ref', mode: 'hybrid' }]);
    expect(store.getState().resultsFor).toBe('ref');
  });

  it('searches at once on Enter and drops the search waiting for the pause', async () => {
    const { store, searches } = searchingStore();
    store.getState().setQuery('refunds');
    await store.getState().runSearch();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(searches()).toHaveLength(1);
  });

  it('clears the results when the box is emptied, and Esc drops a pending search', async () => {
    const { store, searches } = searchingStore();
    store.getState().setQuery('refunds');
    await store.getState().runSearch();
    store.getState().setQuery('');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(store.getState()).toMatchObject({ searchStatus: 'idle', results: [], resultsInfo: null });
    store.getState().setQuery('again');
    store.getState().clearSearch();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(searches()).toHaveLength(1);
    expect(store.getState().query).toBe('');
  });
});

describe('search slice: mode and filters', () => {
  it('searches again at once in a new mode, and keeps what the core said about the results', async () => {
    const { store, searches } = searchingStore((i) =>
      ok(searchResponse(i.query, [searchHit('a')], { mode: i.mode as 'vector', tookMs: 7, weak: true, correctedQuery: 'refunds' })),
    );
    store.getState().setMode('keyword'); // nothing typed: nothing to search
    expect(searches()).toEqual([]);
    store.getState().setQuery('refnds');
    await store.getState().runSearch();
    store.getState().setMode('vector');
    await vi.waitFor(() => expect(store.getState().resultsInfo?.mode).toBe('vector'));
    expect(searches().map((s) => s.mode)).toEqual(['keyword', 'vector']);
    expect(store.getState().resultsInfo).toEqual({ mode: 'vector', tookMs: 7, weak: true, correctedQuery: 'refunds', filtered: false });
  });

  it('sends only the filters that narrow, and says the results were filtered', async () => {
    vi.useFakeTimers();
    try {
      const { store, searches } = searchingStore();
      store.getState().setQuery('tax');
      await store.getState().runSearch();
      store.getState().setFilters({ types: ['md', 'pdf'], folder: '  ' });
      store.getState().setFilters({ since: '2026-01-31' });
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
      expect(searches().at(-1)).toEqual({ query: 'tax', mode: 'hybrid', filters: { types: ['md', 'pdf'], since: '2026-01-31' } });
      expect(store.getState().resultsInfo?.filtered).toBe(true);
      store.getState().clearFilters();
      await vi.advanceTimersByTimeAsync(0);
      expect(searches().at(-1)).toEqual({ query: 'tax', mode: 'hybrid' });
      expect(store.getState().resultsInfo?.filtered).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a refused filter next to it, not as a search error', async () => {
    const { store } = searchingStore(() => ({
      ok: false,
      error: { kind: 'ValidationError', message: 'Invalid input for search: filters.since: since takes a date like 2026-01-31' },
    }) as never);
    store.getState().setFilters({ since: '275760-01-01' });
    store.getState().setQuery('tax');
    await store.getState().runSearch();
    expect(store.getState()).toMatchObject({
      searchStatus: 'error',
      searchError: null,
      filterProblem: { field: 'since', message: 'since takes a date like 2026-01-31' },
    });
    store.getState().setFilters({ folder: '/notes' });
    expect(store.getState().filterProblem?.field).toBe('since');
    store.getState().setFilters({ since: '2026-01-31' });
    expect(store.getState().filterProblem).toBeNull();
    store.getState().clearSearch();
  });
});
