import { KbError } from '../../api/errors';
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
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `since` as an instant. SQLite compares the ISO strings, so a date or time without a zone
 * means UTC there; PostgreSQL would read it in the session's time zone, so it gets a `Z` here.
 */
function sinceInstant(since: string): string {
  const text = since.trim();
  const utc = HAS_ZONE.test(text) ? text : /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : `${text}Z`;
  const time = Date.parse(utc);
  if (Number.isNaN(time)) throw new KbError('ValidationError', `"${since}" is not a date; use one like 2026-01-31`);
  return new Date(time).toISOString();
}

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
    const folder = filter.folder.replace(/[\\/]+$/, '');
    const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
    parts.push('(d.source_path = :filterFolder OR starts_with(d.source_path, :filterFolderPrefix))');
    params.filterFolder = folder;
    params.filterFolderPrefix = folder + separator;
  }
  if (filter?.since) {
    parts.push('d.uploaded_at >= CAST(:filterSince AS timestamptz)');
    params.filterSince = sinceInstant(filter.since);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}
