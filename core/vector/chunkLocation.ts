import type { ChunkLocation } from '../api/types';

/**
 * How every store keeps a chunk's location: one JSON value (a TEXT column in SQLite, jsonb in
 * PostgreSQL, a string field in Chroma metadata, whose values must be scalars). Absent stays
 * absent: nothing to store is `null`, and reading a missing or empty value gives `undefined`,
 * never `{}`, so callers can test `match.location` directly.
 */
export function encodeLocation(location: ChunkLocation | undefined): string | null {
  const clean = cleanLocation(location);
  return clean ? JSON.stringify(clean) : null;
}

/**
 * The location from a stored value: JSON text, or the object a jsonb column already parsed.
 * Tolerant, because rows written before locations existed (or by hand) may hold anything:
 * unreadable values and fields of the wrong type are dropped rather than failing a search.
 */
export function decodeLocation(value: unknown): ChunkLocation | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return cleanLocation(value);
  try {
    return cleanLocation(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** The item with the stored location when there is one; without the key otherwise. */
export function withLocation<T extends object>(item: T, stored: unknown): T & { location?: ChunkLocation } {
  const location = decodeLocation(stored);
  return location ? { ...item, location } : item;
}

/** Only the known fields, with the right types; undefined when none is left. */
function cleanLocation(value: unknown): ChunkLocation | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { headingPath, pageStart, pageEnd } = value as Record<string, unknown>;
  const out: ChunkLocation = {};
  if (Array.isArray(headingPath) && headingPath.every((h) => typeof h === 'string')) out.headingPath = [...headingPath];
  if (isNumber(pageStart)) out.pageStart = pageStart;
  if (isNumber(pageEnd)) out.pageEnd = pageEnd;
  return Object.keys(out).length > 0 ? out : undefined;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
