import type { DocumentText } from '../api/types';
import { locate } from '../ingest/outline';
import type { DocumentOutline } from '../ingest/parsers/types';
import type { DocumentRecord } from '../relational/types';
import { findHighlights, termMatcher } from './highlight';
import { parseKeywordQuery } from './keywordQuery';

/** Longest text sent for reading at once; a longer document is shown as a window around the passage. */
const READ_WINDOW_CHARS = 200_000;

/**
 * A document's text for reading a passage in context: the whole text, or for a long document a
 * window around the passage, cut at line breaks, with the passage and the query's words located
 * in it.
 */
export function readDocumentText(
  doc: DocumentRecord,
  text: string,
  opts: { charStart?: number; charEnd?: number; query?: string; outline?: DocumentOutline },
): DocumentText {
  const focusStart = Math.min(opts.charStart ?? 0, text.length);
  const focusEnd = Math.min(Math.max(opts.charEnd ?? focusStart, focusStart), text.length);
  let from = 0;
  let to = text.length;
  if (text.length > READ_WINDOW_CHARS) {
    const centre = Math.floor((focusStart + focusEnd) / 2);
    from = Math.max(0, Math.min(centre - READ_WINDOW_CHARS / 2, text.length - READ_WINDOW_CHARS));
    to = from + READ_WINDOW_CHARS;
    if (from > 0) from = Math.min(focusStart, text.indexOf('\n', from) + 1 || from);
    const lineEnd = text.lastIndexOf('\n', to);
    if (to < text.length && lineEnd > focusEnd) to = lineEnd;
  }
  const window = text.slice(from, to);
  const location = opts.outline && opts.charStart !== undefined ? locate(text, opts.outline, focusStart, focusEnd) : undefined;
  return {
    documentId: doc.id,
    documentName: doc.name,
    text: window,
    offset: from,
    totalLength: text.length,
    ...(opts.charStart !== undefined ? { focus: [focusStart - from, focusEnd - from] as [number, number] } : {}),
    highlights: opts.query ? findHighlights(window, termMatcher(parseKeywordQuery(opts.query))) : [],
    ...(location ? { location } : {}),
  };
}
