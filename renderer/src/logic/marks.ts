/** Marked text built from character ranges, for rendering as React nodes (never as HTML). */

/** A piece of text, marked (a query word) or plain. */
export interface MarkedSegment {
  text: string;
  marked: boolean;
}

type Range = readonly [number, number];

/**
 * Ranges clipped to [0, length), sorted, with overlapping and touching ones merged and empty or
 * malformed ones dropped: the core's ranges are trusted for meaning, not for shape.
 */
function tidyRanges(ranges: readonly Range[], length: number): [number, number][] {
  const clipped = ranges
    .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e))
    .map(([s, e]): [number, number] => [Math.max(0, s), Math.min(length, e)])
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of clipped) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Splits `text` into plain and marked segments at `[start, end)` ranges; the segments join back to `text`. */
export function markRanges(text: string, ranges: readonly Range[]): MarkedSegment[] {
  const segments: MarkedSegment[] = [];
  let at = 0;
  for (const [s, e] of tidyRanges(ranges, text.length)) {
    if (s > at) segments.push({ text: text.slice(at, s), marked: false });
    segments.push({ text: text.slice(s, e), marked: true });
    at = e;
  }
  if (at < text.length) segments.push({ text: text.slice(at), marked: false });
  return segments;
}

/** `ranges` cut to `[from, to)` and shifted so that `from` is 0: the marks of a slice of the text. */
export function rangesWithin(ranges: readonly Range[], from: number, to: number): [number, number][] {
  return ranges
    .map(([s, e]): [number, number] => [Math.max(s, from) - from, Math.min(e, to) - from])
    .filter(([s, e]) => s < e);
}

/** A text in three parts around a passage, each with its own marks. */
export interface FocusedText {
  before: MarkedSegment[];
  passage: MarkedSegment[];
  after: MarkedSegment[];
}

/**
 * The reader's text split at the passage (`focus`, clipped to the text) with the query's words
 * marked in every part; without a focus, everything is `before`.
 */
export function splitAtFocus(text: string, focus: Range | undefined, ranges: readonly Range[]): FocusedText {
  const part = (from: number, to: number) => markRanges(text.slice(from, to), rangesWithin(ranges, from, to));
  if (!focus) return { before: part(0, text.length), passage: [], after: [] };
  const start = Math.min(Math.max(0, focus[0]), text.length);
  const end = Math.min(Math.max(start, focus[1]), text.length);
  return { before: part(0, start), passage: part(start, end), after: part(end, text.length) };
}
