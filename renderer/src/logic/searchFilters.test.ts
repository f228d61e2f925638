import { describe, expect, it } from 'vitest';
import { FILE_TYPE_OPTIONS, NO_FILTERS, activeFilterCount, filterProblem, toSearchFilters, toggleType } from './searchFilters';

describe('toSearchFilters / activeFilterCount', () => {
  it('sends nothing for empty filters', () => {
    expect(toSearchFilters(NO_FILTERS)).toBeUndefined();
    expect(toSearchFilters({ types: [], folder: '   ', since: '' })).toBeUndefined();
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
  });

  it('sends only what narrows, trimmed, and counts each kind once', () => {
    const draft = { types: ['md' as const, 'pdf' as const], folder: '  /home/me/notes ', since: '2026-01-31' };
    expect(toSearchFilters(draft)).toEqual({ types: ['md', 'pdf'], folder: '/home/me/notes', since: '2026-01-31' });
    expect(activeFilterCount(draft)).toBe(3);
    expect(toSearchFilters({ ...NO_FILTERS, since: '2026-01-31' })).toEqual({ since: '2026-01-31' });
  });
});

describe('toggleType', () => {
  it('adds and removes, in the options’ order', () => {
    expect(toggleType(['pdf'], 'md')).toEqual(['md', 'pdf']);
    expect(toggleType(['md', 'pdf'], 'md')).toEqual(['pdf']);
  });

  it('labels every file type of the contract', () => {
    expect(FILE_TYPE_OPTIONS.map((o) => o.label)).toEqual(['Markdown', 'Text', 'PDF', 'Word', 'HTML', 'CSV', 'JSON', 'Code']);
  });
});

describe('filterProblem', () => {
  it('finds the field and keeps the core’s words', () => {
    expect(filterProblem({ kind: 'ValidationError', message: 'Invalid input for search: filters.since: since takes a date like 2026-01-31' })).toEqual({
      field: 'since',
      message: 'since takes a date like 2026-01-31',
    });
    expect(filterProblem({ kind: 'ValidationError', message: 'Invalid input for search: filters.types.0: Invalid option' })).toEqual({
      field: 'types',
      message: 'Invalid option',
    });
  });

  it('is null for other errors', () => {
    expect(filterProblem({ kind: 'ValidationError', message: 'Invalid input for search: query: type something to search for' })).toBeNull();
    expect(filterProblem({ kind: 'Internal', message: 'filters.since: boom' })).toBeNull();
  });
});
