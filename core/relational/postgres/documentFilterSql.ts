import { folderBounds } from '../records';
import type { DocumentFilter } from '../types';
import type { SqlValue } from './sqlRunner';

export interface SqlCondition {
  /** ` AND …` conditions on `documents d`, or '' for none. */
  sql: string;
  params: Record<string, SqlValue>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Document ids are UUIDs here (the column's type); any other id is no document's. */
export const isDocumentId = (id: string): boolean => UUID.test(id);

/**
 * A DocumentFilter as conditions on `documents d`, as the SQLite store applies it: extensions
 * by the end of the name (case-insensitive), a folder as the path itself or anything under it
 * plus a separator (`/reports` is not `/reports2`), `since` on the time the document was added.
 * Lists travel as JSON text: the Data API has no array parameters.
 */
export function documentFilterSql(filter: DocumentFilter | undefined): SqlCondition {
  const parts: string[] = [];
  const params: Record<string, SqlValue> = {};
  const extensions = (filter?.extensions ?? []).map((e) => e.toLowerCase()).filter(Boolean);
  if (extensions.length) {
    parts.push(`EXISTS (SELECT 1 FROM json_array_elements_text(CAST(:filterExtensions AS json)) AS e(ext)
      WHERE right(lower(d.name), length(e.ext) + 1) = '.' || e.ext)`);
    params.filterExtensions = JSON.stringify(extensions);
  }
  if (filter?.folder) {
    const { folder, prefix } = folderBounds(filter.folder);
    parts.push('(d.source_path = :filterFolder OR starts_with(d.source_path, :filterFolderPrefix))');
    params.filterFolder = folder;
    params.filterFolderPrefix = prefix;
  }
  if (filter?.since) {
    // An ISO instant with its zone (core/search/searchFilters.ts makes it so).
    parts.push('d.uploaded_at >= CAST(:filterSince AS timestamptz)');
    params.filterSince = filter.since;
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}
