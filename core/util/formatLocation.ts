import type { ChunkLocation } from '../api/types';

/** A location's heading titles (whitespace folded, empty ones dropped) and pages (`p. 3`, `pp. 3–5`). */
export function locationParts(location: ChunkLocation | undefined): { headings: string[]; pages: string } {
  const headings = (location?.headingPath ?? []).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1;
  const { pageStart, pageEnd } = location ?? {};
  const start = valid(pageStart) ? pageStart : valid(pageEnd) ? pageEnd : undefined;
  if (start === undefined) return { headings, pages: '' };
  const end = valid(pageEnd) && pageEnd > start ? pageEnd : start;
  return { headings, pages: end === start ? `p. ${start}` : `pp. ${start}–${end}` };
}

/**
 * Where a passage is, as the CLI and Ask's prompt write it: `Guide › Install · p. 3`, after
 * `lead` when given (`[2] guide.md › Guide › Install · p. 3`); '' (or `lead`) when nothing is known.
 * The renderer has its own copy (renderer/src/logic/location.ts): it may import only types from core.
 */
export function formatLocation(location: ChunkLocation | undefined, lead = ''): string {
  const { headings, pages } = locationParts(location);
  const path = [lead, ...headings].filter(Boolean).join(' › ');
  return pages ? (path ? `${path} · ${pages}` : pages) : path;
}
