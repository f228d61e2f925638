import type { DocumentSummary } from '../../../core/api';

/** Newest first (what was just added is what the user looks for), then by name. */
export function sortDocuments(docs: readonly DocumentSummary[]): DocumentSummary[] {
  return [...docs].sort((a, b) => {
    if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
    return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  });
}
