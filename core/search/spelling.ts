import type { KeywordClause, KeywordQuery } from './keywordQuery';

/** What spelling correction needs from the library: word counts and its vocabulary. */
export interface SpellingSource {
  frequencies(words: string[]): Promise<number[]>;
  vocabulary(initial: string, minLength: number, maxLength: number): Promise<string[]>;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of neighbours each cost 1. Stops
 * early, returning max + 1, once the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** Edits allowed for a word of this length: none for short words (too many near neighbours). */
const allowedEdits = (length: number) => (length < 4 ? 0 : length <= 6 ? 1 : 2);

export interface Correction {
  /** Each misspelt word and what it was corrected to. */
  changes: { from: string; to: string }[];
  /** The query with the corrections, as the user would have typed it. */
  text: string;
}

/**
 * "Did you mean": plain words of the query that occur nowhere in the library are replaced by the
 * closest word of its vocabulary (same first letter, within 1–2 edits, the most frequent among
 * the closest). Identifiers and quoted phrases are left as typed. Undefined when nothing changed.
 */
export async function correctSpelling(query: string, parsed: KeywordQuery, source: SpellingSource): Promise<Correction | undefined> {
  const words = parsed.clauses.filter((c): c is KeywordClause => c.kind === 'word' && allowedEdits(c.text.length) > 0).map((c) => c.text);
  if (!words.length) return undefined;
  const counts = await source.frequencies(words);
  const unknown = words.filter((_, i) => counts[i] === 0 && /^\p{L}+$/u.test(words[i] as string));
  const changes: { from: string; to: string }[] = [];
  for (const word of unknown) {
    const max = allowedEdits(word.length);
    const candidates = await source.vocabulary(word[0] as string, word.length - max, word.length + max);
    const scored = candidates.map((c) => ({ word: c, distance: editDistance(word, c, max) })).filter((c) => c.distance <= max);
    if (!scored.length) continue;
    const closest = Math.min(...scored.map((c) => c.distance));
    const best = scored.filter((c) => c.distance === closest).slice(0, 20);
    const frequencies = await source.frequencies(best.map((c) => c.word));
    const ranked = best.map((c, i) => ({ ...c, frequency: frequencies[i] ?? 0 })).filter((c) => c.frequency > 0);
    ranked.sort((a, b) => b.frequency - a.frequency || a.word.localeCompare(b.word));
    if (ranked[0]) changes.push({ from: word, to: ranked[0].word });
  }
  if (!changes.length) return undefined;
  let text = query;
  for (const { from, to } of changes) text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${from}(?![\\p{L}\\p{N}])`, 'giu'), to);
  return { changes, text };
}
