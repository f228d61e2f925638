import { findHighlights, type TermMatcher } from './highlight';

/** One step of a key path the JSON parser writes (see parsers/json.ts): `.name`, `."odd key"`, `[3]`. */
const STEP = /^(?:\.?([A-Za-z_$][\w$]*)|\.?("(?:[^"\\]|\\.)*")|(\[\d+\]))/;

/** `authors[0].name: Ada` → `name: Ada`; lines that do not start with a multi-step key path stay. */
function shortenKeyPath(line: string): string {
  let rest = line;
  let steps = 0;
  let last = '';
  for (let m = STEP.exec(rest); m; m = STEP.exec(rest)) {
    if (m[1] ?? m[2]) last = m[1] ?? (JSON.parse(m[2] as string) as string);
    steps++;
    rest = rest.slice(m[0].length);
  }
  return steps > 1 && rest.startsWith(': ') ? `${last}${rest}` : line;
}

/**
 * Text as a reader wants to see it in a result: Markdown's markers gone (heading hashes, emphasis,
 * code ticks and fences, link targets, list bullets, table rules), the key paths a JSON document
 * was flattened to shortened to their last key (`authors[0].name: Ada` → `name: Ada`), and
 * whitespace collapsed.
 */
export function readableText(text: string, mimeType = ''): string {
  let t = text;
  if (/json/.test(mimeType)) t = t.split('\n').map(shortenKeyPath).join('\n');
  if (/markdown/.test(mimeType) || /(^|\n)#{1,6} |\*\*|`/.test(t)) {
    t = t
      .replace(/^\s*(```|~~~).*$/gm, ' ')
      .replace(/^ {0,3}#{1,6}\s+/gm, '')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/(\*\*|__)(?=\S)([^]*?\S)\1/g, '$2')
      .replace(/`+([^`]+)`+/g, '$1')
      .replace(/^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, ' ')
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
      .replace(/^\s*>\s?/gm, '')
      .replace(/\s\|\s/g, ' · ');
  }
  return t.replace(/\s+/g, ' ').trim();
}

/** The text without the lines it opens with that are only its headings' titles (`## Setup`, `Setup`). */
export function withoutLeadingHeadings(text: string, headingPath: string[] | undefined): string {
  if (!headingPath?.length) return text;
  const titles = new Set(headingPath.map((h) => h.trim().toLowerCase()));
  const lines = text.split('\n');
  let skip = 0;
  while (skip < lines.length - 1) {
    const line = (lines[skip] as string).replace(/^\s*#{1,6}\s+/, '').trim().toLowerCase();
    if (line !== '' && !titles.has(line)) break;
    skip++;
  }
  return lines.slice(skip).join('\n');
}

export interface Snippet {
  snippet: string;
  highlights: [number, number][];
}

/**
 * The part of a passage worth showing for a query: the window of `maxLength` characters holding
 * the most matches, cut at word boundaries, with ellipses where text was left out, and where the
 * matches are in it.
 */
export function makeSnippet(content: string, matcher: TermMatcher, mimeType = '', maxLength = 280): Snippet {
  const text = readableText(content, mimeType);
  const all = findHighlights(text, matcher);
  if (text.length <= maxLength) return { snippet: text, highlights: all };
  // Slide a window over the matches and keep the start that covers the most of them.
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < all.length; i++) {
    while (all[j]![0] < all[i]![1] - maxLength + 40) j++;
    if (i - j + 1 > bestCount) {
      bestCount = i - j + 1;
      bestStart = Math.max(0, all[j]![0] - 40);
    }
  }
  let start = Math.min(bestStart, text.length - maxLength);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < start + 30) start = space + 1;
  }
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + maxLength / 2) end = space;
  }
  const prefix = start > 0 ? '… ' : '';
  const shift = prefix.length - start;
  const highlights = all.filter(([s, e]) => s >= start && e <= end).map(([s, e]): [number, number] => [s + shift, e + shift]);
  return { snippet: `${prefix}${text.slice(start, end)}${end < text.length ? ' …' : ''}`, highlights };
}
