import type { MatchStrength, SearchHit, SearchMode } from '../../../core/api';
import { formatCount, formatDuration } from './format';

// Complete at compile time: a mode added to the contract needs a label here.
const MODES: Record<SearchMode, { label: string; hint: string }> = {
  hybrid: { label: 'Hybrid', hint: 'Exact words and meaning together (best for most searches)' },
  keyword: { label: 'Keyword', hint: 'Only documents that contain your words, ranked by BM25' },
  vector: { label: 'Meaning', hint: 'Closest in meaning, even without the same words' },
};

export const SEARCH_MODE_OPTIONS = (Object.keys(MODES) as SearchMode[]).map((mode) => ({ mode, ...MODES[mode] }));

export function modeLabel(mode: SearchMode): string {
  return MODES[mode].label;
}

const MATCH_LABELS: Record<MatchStrength, string> = { strong: 'Strong match', partial: 'Partial match', weak: 'Weak match' };

export function matchLabel(match: MatchStrength): string {
  return MATCH_LABELS[match];
}

/** Each ranking's own score, for the match badge's tooltip: "Keyword (BM25) 2.72 · Meaning (cosine) 0.251". */
export function scoreBreakdown(scores: SearchHit['documentScores']): string {
  const parts: string[] = [];
  if (scores.keyword !== undefined) parts.push(`Keyword (BM25) ${scores.keyword.toFixed(2)}`);
  if (scores.vector !== undefined) parts.push(`Meaning (cosine) ${scores.vector.toFixed(3)}`);
  return parts.length > 0 ? parts.join(' · ') : 'No ranking scored it';
}

/** "3 documents for “refunds” · Hybrid · filtered · 12 ms". */
export function resultsSummary(r: { count: number; weak?: number; query: string; mode: SearchMode; tookMs: number; filtered: boolean }): string {
  const filtered = r.filtered ? ' · filtered' : '';
  const found =
    r.count === 0 && r.weak
      ? formatCount(r.weak, 'weak match', 'weak matches')
      : `${formatCount(r.count, 'document', 'documents')}${r.weak ? ` (+ ${r.weak} weak)` : ''}`;
  return `${found} for “${r.query}” · ${modeLabel(r.mode)}${filtered} · ${formatDuration(r.tookMs)}`;
}

/** When nothing matches well, how many of the closest documents are shown before the toggle. */
const CLOSEST_SHOWN = 3;

/**
 * Results as shown: the good matches, and the weak ones folded away under them. When nothing
 * matches well, the closest few are shown under a notice and the rest folded, never a page of them.
 */
export function splitWeak<T extends { match: string }>(hits: T[]): { shown: T[]; folded: T[] } {
  const good = hits.filter((h) => h.match !== 'weak');
  if (good.length) return { shown: good, folded: hits.filter((h) => h.match === 'weak') };
  return { shown: hits.slice(0, CLOSEST_SHOWN), folded: hits.slice(CLOSEST_SHOWN) };
}

/** What to try when a search found nothing. */
export function noResultsHint(mode: SearchMode, filtered: boolean): string {
  if (filtered) return 'No document passes these filters and matches. Clear the filters to search the whole library.';
  if (mode === 'keyword') return 'Keyword search needs the words themselves: check the spelling, or switch to Hybrid to match meaning too.';
  return 'Try other words, or add the documents that would answer it.';
}
