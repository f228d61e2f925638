import type { FileType, KbErrorShape, SearchFilters } from '../../../core/api';

/** The filters as the form holds them: empty values mean "any". */
export interface FilterDraft {
  types: FileType[];
  /** A folder path, as typed. */
  folder: string;
  /** YYYY-MM-DD from a date input, or ''. */
  since: string;
}

export const NO_FILTERS: FilterDraft = { types: [], folder: '', since: '' };

// Complete at compile time: a file type added to the contract breaks the build here until it has a
// label (the renderer cannot import the core's runtime FILE_TYPES).
const FILE_TYPE_LABELS: Record<FileType, string> = {
  md: 'Markdown',
  txt: 'Text',
  pdf: 'PDF',
  docx: 'Word',
  html: 'HTML',
  csv: 'CSV',
  json: 'JSON',
  code: 'Code',
};

export const FILE_TYPE_OPTIONS = (Object.keys(FILE_TYPE_LABELS) as FileType[]).map((type) => ({ type, label: FILE_TYPE_LABELS[type] }));

/** Adds or removes a type, keeping the options' order (so equal selections compare equal). */
export function toggleType(types: readonly FileType[], type: FileType): FileType[] {
  const next = new Set(types);
  if (next.has(type)) next.delete(type);
  else next.add(type);
  return FILE_TYPE_OPTIONS.map((o) => o.type).filter((t) => next.has(t));
}

/** What the search call takes: only the filters that narrow anything; undefined for none. */
export function toSearchFilters(draft: FilterDraft): SearchFilters | undefined {
  const filters: SearchFilters = {};
  if (draft.types.length > 0) filters.types = [...draft.types];
  const folder = draft.folder.trim();
  if (folder !== '') filters.folder = folder;
  const since = draft.since.trim();
  if (since !== '') filters.since = since;
  return Object.keys(filters).length > 0 ? filters : undefined;
}

/** How many filters narrow the search (a set of file types counts once), for the badge. */
export function activeFilterCount(draft: FilterDraft): number {
  const f = toSearchFilters(draft);
  return f ? Object.keys(f).length : 0;
}

export type FilterField = keyof FilterDraft;

/** A filter the core refused, with its own words, to show next to the field. */
export interface FilterProblem {
  field: FilterField;
  message: string;
}

/**
 * The filter a ValidationError is about, from the path the core names ("Invalid input for search:
 * filters.since: since takes a date like 2026-01-31"); null for any other error.
 */
export function filterProblem(error: KbErrorShape): FilterProblem | null {
  if (error.kind !== 'ValidationError') return null;
  const m = /\bfilters\.(types|folder|since)(?:\.\d+)*: (.+)$/s.exec(error.message);
  if (!m) return null;
  return { field: m[1] as FilterField, message: m[2]!.trim() };
}
