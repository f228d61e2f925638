import type { Citation, CitationMarker, NumberedPassage } from './types';

/** `[1]`, `[1, 3]`, `[1-3]`, `[2; 4–5]`; not a Markdown link `[1](url)`. */
const MARKER = /\[\s*(\d+(?:\s*[-–]\s*\d+)?(?:\s*[,;]\s*\d+(?:\s*[-–]\s*\d+)?)*)\s*\](?!\()/g;
/** Fenced blocks (closed or still open at the end) and inline code spans: `a[1]` there is code. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]+`/g;

/**
 * The citations in an answer: each marker that names at least one passage, and each cited
 * passage once, in order of its first citation. Numbers with no such passage are ignored.
 */
export function findCitations(answer: string, passages: readonly NumberedPassage[]): { citations: Citation[]; markers: CitationMarker[] } {
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const code = [...answer.matchAll(CODE)].map((m) => [m.index, m.index + m[0].length] as const);
  const markers: CitationMarker[] = [];
  const cited = new Map<number, Citation>();
  for (const m of answer.matchAll(MARKER)) {
    if (code.some(([start, end]) => m.index >= start && m.index < end)) continue;
    const numbers = [...new Set(expand(m[1] as string, passages.length))].filter((n) => byNumber.has(n));
    if (numbers.length === 0) continue;
    markers.push({ start: m.index, end: m.index + m[0].length, numbers });
    for (const n of numbers) {
      const p = byNumber.get(n) as NumberedPassage;
      if (!cited.has(n)) cited.set(n, citationOf(p));
    }
  }
  return { citations: [...cited.values()], markers };
}

/** `1, 3-5` → 1, 3, 4, 5. A range is walked only within 1..max, so `[1-99999]` costs nothing. */
function expand(list: string, max: number): number[] {
  return list.split(/[,;]/).flatMap((part) => {
    const [from, to = from] = part.split(/[-–]/).map((s) => Number(s.trim())) as [number, number?];
    const out: number[] = [];
    for (let n = Math.max(from, 1); n <= Math.min(to, max); n++) out.push(n);
    return out;
  });
}

function citationOf(p: NumberedPassage): Citation {
  const c: Citation = { n: p.n, documentId: p.documentId, documentName: p.documentName, chunkId: p.chunkId };
  if (p.location) c.location = p.location;
  if (p.charStart !== undefined && p.charEnd !== undefined) {
    c.charStart = p.charStart;
    c.charEnd = p.charEnd;
  }
  return c;
}
