import type { Citation, CitationMarker } from '../../../core/api';
import { formatLocation } from './location';

/** A piece of an answer: plain text, or a citation marker such as `[1, 3]` with the sources it cites. */
export type AnswerPart = { kind: 'text'; text: string } | { kind: 'cite'; text: string; citations: Citation[] };

/**
 * Splits an answer at its citation markers (the core's ranges, never parsed from the text).
 * A marker out of bounds, overlapping the previous one or citing no known source stays text.
 */
export function answerParts(answer: string, markers: readonly CitationMarker[], citations: readonly Citation[]): AnswerPart[] {
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  const parts: AnswerPart[] = [];
  let at = 0;
  const pushText = (text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last?.kind === 'text') last.text += text;
    else parts.push({ kind: 'text', text });
  };
  for (const m of [...markers].sort((a, b) => a.start - b.start)) {
    if (!Number.isInteger(m.start) || !Number.isInteger(m.end) || m.start < at || m.end <= m.start || m.end > answer.length) continue;
    const cited = [...new Set(m.numbers)].map((n) => byNumber.get(n)).filter((c): c is Citation => c !== undefined);
    if (cited.length === 0) continue;
    pushText(answer.slice(at, m.start));
    parts.push({ kind: 'cite', text: answer.slice(m.start, m.end), citations: cited });
    at = m.end;
  }
  pushText(answer.slice(at));
  return parts;
}

/** "guide.md › Setup › Install" — the document, and where in it when known. */
export function citationLabel(c: Pick<Citation, 'documentName' | 'location'>): string {
  const where = formatLocation(c.location);
  return where ? `${c.documentName} › ${where}` : c.documentName;
}
