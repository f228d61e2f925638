import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchFiltersSchema } from '../../core/api/contract';
import { toDocumentFilter } from '../../core/search/searchFilters';

describe('search filters', () => {
  it('accept days and instants that exist, and refuse the rest', () => {
    for (const since of ['2026-01-31', '2024-02-29', '2026-01-31T10:00:00Z', '2026-01-31T10:00+02:00']) {
      expect(searchFiltersSchema.safeParse({ since }).success, since).toBe(true);
    }
    for (const since of ['2026-02-31', '2025-02-29', '2026-13-01', 'yesterday', '31/01/2026', '']) {
      expect(searchFiltersSchema.safeParse({ since }).success, since).toBe(false);
    }
    expect(searchFiltersSchema.safeParse({ types: ['exe'] }).success).toBe(false);
    expect(searchFiltersSchema.safeParse({ colour: 'red' }).success).toBe(false);
  });

  it('become extensions, an absolute folder and a local-midnight instant', () => {
    expect(toDocumentFilter({ types: ['md', 'html'] })).toEqual({ extensions: ['md', 'markdown', 'html', 'htm'] });
    expect(toDocumentFilter({ folder: 'notes/../docs' })?.folder).toBe(resolve('docs'));
    expect(toDocumentFilter({ folder: '~/notes' })?.folder).toBe(join(homedir(), 'notes'));
    expect(toDocumentFilter({ since: '2026-03-01' })?.since).toBe(new Date(2026, 2, 1).toISOString());
    expect(toDocumentFilter({ since: '2026-03-01T12:00:00Z' })?.since).toBe('2026-03-01T12:00:00.000Z');
    expect(toDocumentFilter({})).toBeUndefined();
    expect(toDocumentFilter(undefined)).toBeUndefined();
  });
});
