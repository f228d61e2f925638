import type { DocumentText } from '../../../core/api';

/**
 * What to say when the reader shows only part of a long document (the core sends a window around
 * the passage); null when the whole document is shown.
 */
export function partialTextNote(doc: Pick<DocumentText, 'text' | 'offset' | 'totalLength'>): string | null {
  const end = doc.offset + doc.text.length;
  if (doc.offset <= 0 && end >= doc.totalLength) return null;
  const n = (x: number) => x.toLocaleString('en-US');
  return `This document is long: showing characters ${n(doc.offset + 1)}–${n(end)} of ${n(doc.totalLength)}, around the passage. Open the original to read all of it.`;
}
