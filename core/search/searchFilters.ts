import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { FILE_TYPES, type SearchFilters } from '../api/search';
import type { DocumentFilter } from '../relational/types';

/**
 * The API's filters as the stores take them: file types as extensions, the folder as an absolute
 * path, and a day (YYYY-MM-DD) as its first instant in local time, which is what "added since
 * Monday" means to the person asking.
 */
export function toDocumentFilter(filters: SearchFilters | undefined): DocumentFilter | undefined {
  if (!filters) return undefined;
  const out: DocumentFilter = {};
  if (filters.types?.length) out.extensions = [...new Set(filters.types.flatMap((t) => FILE_TYPES[t].extensions))];
  if (filters.folder) out.folder = resolve(filters.folder.replace(/^~(?=$|[\\/])/, homedir()));
  if (filters.since) {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(filters.since);
    out.since = new Date(day ? `${filters.since}T00:00:00` : filters.since).toISOString();
  }
  return Object.keys(out).length ? out : undefined;
}
