import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SEARCH_INPUT_ID } from '../hooks/useGlobalShortcuts';
import { activeFilterCount } from '../logic/searchFilters';
import { useKb } from '../store';
import { QueryField } from './QueryField';
import { FILTERS_ID, SearchFilters } from './SearchFilters';
import { SearchModeToggle } from './SearchModeToggle';

function SearchIcon() {
  return (
    <svg className="search-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M15.5 15.5L21 21" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

function FilterIcon() {
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <path d="M2 3.5h12M4.5 8h7M7 12.5h2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function SearchBox() {
  const query = useKb((s) => s.query);
  const setQuery = useKb((s) => s.setQuery);
  const clearSearch = useKb((s) => s.clearSearch);
  return (
    <QueryField
      icon={<SearchIcon />}
      id={SEARCH_INPUT_ID}
      data-testid="search-input"
      type="search"
      value={query}
      onValue={setQuery}
      onClear={clearSearch}
      placeholder="Search words, names or questions — e.g. “refund policy”"
      spellCheck={false}
      enterKeyHint="search"
      aria-describedby="search-shortcut"
    >
      <kbd id="search-shortcut" className="shortcut" title="Press / or Ctrl+K to search">
        <span className="visually-hidden">Shortcut: </span>/
      </kbd>
    </QueryField>
  );
}

/** The search box (searches as you type), its mode, and its filters behind a disclosure. */
export function SearchPanel() {
  const runSearch = useKb((s) => s.runSearch);
  const filterCount = useKb((s) => activeFilterCount(s.filters));
  const refused = useKb((s) => s.filterProblem !== null);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);

  // A filter the core refused is shown next to it: open the filters to show it.
  useEffect(() => {
    if (refused) setFiltersOpen(true);
  }, [refused]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void runSearch();
  };
  const closeFilters = () => {
    setFiltersOpen(false);
    toggleRef.current?.focus();
  };

  return (
    <form className="search-panel" role="search" aria-label="Search your documents" onSubmit={onSubmit}>
      <div className="search-row">
        <label htmlFor={SEARCH_INPUT_ID} className="visually-hidden">
          Search your documents
        </label>
        <SearchBox />
        <button type="submit" className="button primary">
          Search
        </button>
      </div>
      <div className="search-options">
        <SearchModeToggle />
        <button
          ref={toggleRef}
          type="button"
          className={`button small filters-toggle${filterCount > 0 ? ' is-active' : ''}`}
          data-testid="filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls={FILTERS_ID}
          onClick={() => setFiltersOpen(!filtersOpen)}
        >
          <FilterIcon />
          Filters
          {filterCount > 0 && (
            <span className="badge" data-testid="filter-count">
              {filterCount}
              <span className="visually-hidden"> active</span>
            </span>
          )}
        </button>
      </div>
      {filtersOpen && <SearchFilters onEscape={closeFilters} />}
    </form>
  );
}
