import { stemmer } from 'stemmer';
import type { KeywordQuery } from './keywordQuery';

const TOKEN = /[\p{L}\p{N}]+/gu;

/** What to mark in a text: single words (by stem) and word sequences (identifiers, phrases). */
export interface TermMatcher {
  stems: Set<string>;
  sequences: string[][];
}

const stem = (word: string) => stemmer(word.toLowerCase());

/** The query's words as a text would show them: stemmed, so "indexing" marks "indexes". */
export function termMatcher(query: KeywordQuery): TermMatcher {
  const stems = new Set<string>();
  const sequences: string[][] = [];
  for (const clause of query.clauses) {
    for (const alt of clause.alternatives) {
      if (alt.field !== 'any') continue;
      if (alt.words.length === 1) stems.add(stem(alt.words[0] as string));
      else sequences.push(alt.words.map(stem));
    }
  }
  return { stems, sequences };
}

/**
 * Where the query's words are in `text`, as sorted, non-overlapping [start, end) ranges: each
 * word whose stem matches, and each run of words matching an identifier or phrase (with the
 * punctuation between them, so `--force-with-lease` is marked whole, dashes included).
 */
export function findHighlights(text: string, matcher: TermMatcher): [number, number][] {
  if (!matcher.stems.size && !matcher.sequences.length) return [];
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, stem: stem(m[0]) }));
  const ranges: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const seq = matcher.sequences.find((s) => s.every((w, j) => tokens[i + j]?.stem === w && (j === 0 || adjacent(text, tokens[i + j - 1]!.end, tokens[i + j]!.start))));
    if (seq) {
      let start = t.start;
      while (start > 0 && text[start - 1] === '-') start--;
      ranges.push([start, tokens[i + seq.length - 1]!.end]);
      i += seq.length - 1;
    } else if (matcher.stems.has(t.stem)) {
      ranges.push([t.start, t.end]);
    }
  }
  return ranges;
}

/** Words of one identifier or phrase: separated by a little punctuation or space, not by a sentence. */
function adjacent(text: string, end: number, start: number): boolean {
  return start - end <= 3 && !/[\n.!?]\s/.test(text.slice(end, start + 1));
}
