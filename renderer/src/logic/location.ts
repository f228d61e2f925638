import type { ChunkLocation } from '../../../core/api';

/** "Setup › Install" for the headings a passage sits under; null when it has none. */
export function formatHeadingPath(headingPath: readonly string[] | undefined): string | null {
  const titles = (headingPath ?? []).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  return titles.length > 0 ? titles.join(' › ') : null;
}

/** "p. 3" or "pp. 3–4" (1-based pages); null when the pages are unknown. */
export function formatPages(pageStart: number | undefined, pageEnd: number | undefined): string | null {
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1;
  const start = valid(pageStart) ? pageStart : valid(pageEnd) ? pageEnd : undefined;
  if (start === undefined) return null;
  const end = valid(pageEnd) && pageEnd > start ? pageEnd : start;
  return end === start ? `p. ${start}` : `pp. ${start}–${end}`;
}

/** Where a search hit sits in its document: "Setup › Install · p. 3"; null when nothing is known. */
export function formatLocation(location: ChunkLocation | undefined): string | null {
  if (!location) return null;
  const parts = [formatHeadingPath(location.headingPath), formatPages(location.pageStart, location.pageEnd)].filter(
    (p): p is string => p !== null,
  );
  return parts.length > 0 ? parts.join(' · ') : null;
}
