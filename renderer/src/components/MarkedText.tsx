import { Fragment } from 'react';
import type { MarkedSegment } from '../logic/marks';

/** Segments as text nodes and <mark> elements: React escapes the text, nothing is parsed as HTML. */
export function MarkedText({ segments }: { segments: MarkedSegment[] }) {
  return segments.map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>));
}
