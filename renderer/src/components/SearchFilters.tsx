import type { KeyboardEvent } from 'react';
import { FILE_TYPE_OPTIONS, activeFilterCount, toggleType, type FilterField } from '../logic/searchFilters';
import { useKb } from '../store';

export const FILTERS_ID = 'search-filters';

/** The core's words about a refused filter, next to it. */
function FilterProblem({ field }: { field: FilterField }) {
  const problem = useKb((s) => (s.filterProblem?.field === field ? s.filterProblem.message : null));
  if (!problem) return null;
  return (
    <p className="filter-problem" id={`filter-${field}-problem`} role="alert" data-testid="filter-problem">
      {problem}
    </p>
  );
}

function TypeFilter() {
  const types = useKb((s) => s.filters.types);
  const setFilters = useKb((s) => s.setFilters);
  const invalid = useKb((s) => s.filterProblem?.field === 'types');
  return (
    <fieldset className="filter filter-types" aria-invalid={invalid || undefined}>
      <legend className="filter-label">
        File type <span className="filter-hint">{types.length === 0 ? '· any type' : ''}</span>
      </legend>
      <div className="chips">
        {FILE_TYPE_OPTIONS.map((o) => (
          <label key={o.type} className="chip">
            <input type="checkbox" checked={types.includes(o.type)} onChange={() => setFilters({ types: toggleType(types, o.type) })} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <FilterProblem field="types" />
    </fieldset>
  );
}

function TextFilter({ field, label, hint, type }: { field: 'folder' | 'since'; label: string; hint: string; type: 'text' | 'date' }) {
  const value = useKb((s) => s.filters[field]);
  const setFilters = useKb((s) => s.setFilters);
  const invalid = useKb((s) => s.filterProblem?.field === field);
  const id = `filter-${field}`;
  return (
    <div className="filter">
      <label className="filter-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="filter-input"
        data-testid={id}
        type={type}
        value={value}
        onChange={(e) => setFilters({ [field]: e.target.value })}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-problem` : `${id}-hint`}
        {...(type === 'text' ? { placeholder: 'e.g. /home/you/notes', spellCheck: false, autoComplete: 'off' } : {})}
      />
      <p className="filter-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FilterProblem field={field} />
    </div>
  );
}

/** File type, folder and "added since": each narrows the search as soon as it changes. */
export function SearchFilters({ onEscape }: { onEscape: () => void }) {
  const active = useKb((s) => activeFilterCount(s.filters));
  const clearFilters = useKb((s) => s.clearFilters);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onEscape();
    }
  };
  return (
    <div id={FILTERS_ID} className="panel filters" role="group" aria-label="Filters" data-testid="filters" onKeyDown={onKeyDown}>
      <TypeFilter />
      <div className="filters-row">
        <TextFilter field="folder" label="Folder" type="text" hint="Files indexed from this folder or below it" />
        <TextFilter field="since" label="Added since" type="date" hint="Added on or after this day" />
        <button type="button" className="button small subtle filters-clear" onClick={clearFilters} disabled={active === 0}>
          Clear filters
        </button>
      </div>
    </div>
  );
}
