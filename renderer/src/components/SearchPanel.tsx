import { type FormEvent } from 'react';
import { SEARCH_INPUT_ID } from '../hooks/useGlobalShortcuts';
import { useKb } from '../store';

export function SearchPanel() {
  const query = useKb((s) => s.query);
  const setQuery = useKb((s) => s.setQuery);
  const runSearch = useKb((s) => s.runSearch);
  const clearSearch = useKb((s) => s.clearSearch);
  const searching = useKb((s) => s.searchStatus === 'searching');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void runSearch();
  };

  return (
    <form className="search-form" role="search" onSubmit={onSubmit}>
      <label htmlFor={SEARCH_INPUT_ID} className="visually-hidden">
        Search your documents by meaning
      </label>
      <div className="search-field">
        <svg className="search-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M15.5 15.5L21 21" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <input
          id={SEARCH_INPUT_ID}
          data-testid="search-input"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query !== '') {
              e.preventDefault();
              clearSearch();
            }
          }}
          placeholder="Search by meaning — e.g. “how do refunds work?”"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          aria-describedby="search-shortcut"
        />
        <kbd id="search-shortcut" className="shortcut" title="Press / or Ctrl+K to search">
          <span className="visually-hidden">Shortcut: </span>/
        </kbd>
      </div>
      <button type="submit" className="button primary" disabled={searching}>
        {searching ? 'Searching…' : 'Search'}
      </button>
    </form>
  );
}
