/** Small display formatters; pure so they can be tested without a DOM. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB" (binary units, as file managers on most platforms show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit]}`;
}

/** Cosine similarity in [-1, 1] shown as a percentage; anything below 0 reads as 0%. */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return '—';
  const pct = Math.round(Math.min(1, Math.max(0, score)) * 100);
  return `${pct}%`;
}

/** Short, locale-aware date and time; "—" for an unparsable value. */
export function formatDate(iso: string, locale?: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

export function formatCount(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export interface TextSegment {
  text: string;
  match: boolean;
}

// Common words that would light up half of every snippet.
const STOP_WORDS = new Set(
  'the and for are but not you all any can had has her his how its our out was who why what when where which with does did this that these those from into about than then them they their there have will would could should been were your'.split(
    ' ',
  ),
);

/**
 * Splits a snippet into plain and matching segments for the query's words (3+ letters, stop words
 * left out, case insensitive). A word matches at the start of a word and the match runs to the
 * end of that word ("refund" marks all of "Refunds"). Semantic hits need not contain the words at
 * all; then the whole snippet is one plain segment.
 */
export function highlightTerms(snippet: string, query: string): TextSegment[] {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [])].filter((w) => !STOP_WORDS.has(w));
  if (words.length === 0 || snippet === '') return snippet ? [{ text: snippet, match: false }] : [];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const segments: TextSegment[] = [];
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) segments.push({ text: snippet.slice(last, at), match: false });
    segments.push({ text: m[0], match: true });
    last = at + m[0].length;
  }
  if (last < snippet.length) segments.push({ text: snippet.slice(last), match: false });
  return segments;
}
