import type { ChunkLocation } from '../api/types';
import type { DocumentOutline, Heading } from './parsers/types';

const ATX = /^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The ATX headings (`# Title` … `###### Title`) of a Markdown text, with where each line sits.
 * Lines inside fenced code blocks are not headings (a `# comment` in a shell snippet is code).
 */
export function markdownHeadings(text: string): Heading[] {
  const headings: Heading[] = [];
  let fence: string | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const body = line.replace(/\r$/, '');
    const f = FENCE.exec(body);
    if (f) {
      const marker = f[1] as string;
      if (!fence) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    const m = ATX.exec(body);
    if (m) headings.push({ level: (m[1] as string).length, title: (m[2] as string).trim(), charStart: start, charEnd: start + body.length });
  }
  return headings;
}

/** Titles of the headings in force at `offset`, outermost first. */
function headingPathAt(headings: Heading[], offset: number): string[] {
  const stack: Heading[] = [];
  for (const h of headings) {
    if (h.charStart > offset) break;
    while (stack.length && (stack[stack.length - 1] as Heading).level >= h.level) stack.pop();
    stack.push(h);
  }
  return stack.map((h) => h.title);
}

function pageAt(outline: DocumentOutline, offset: number): number | undefined {
  return outline.pages?.find((p) => offset >= p.charStart && offset < p.charEnd)?.page ?? outline.pages?.findLast((p) => p.charStart <= offset)?.page;
}

/**
 * Where the text [charStart, charEnd) sits: the heading path in force where its body starts
 * (headings the chunk opens with count as its own, so a chunk that starts at "## Setup" is under
 * Setup), and the pages it spans. Undefined when the document has neither headings nor pages.
 */
export function locate(text: string, outline: DocumentOutline, charStart: number, charEnd: number): ChunkLocation | undefined {
  const location: ChunkLocation = {};
  const headings = outline.headings ?? [];
  if (headings.length) {
    let bodyStart = charStart;
    for (const h of headings) {
      if (h.charEnd <= bodyStart) continue;
      if (h.charStart >= charEnd || text.slice(bodyStart, h.charStart).trim() !== '') break;
      bodyStart = h.charEnd;
    }
    const path = headingPathAt(headings, Math.min(bodyStart, Math.max(charStart, charEnd - 1)));
    if (path.length) location.headingPath = path;
  }
  const pageStart = pageAt(outline, charStart);
  const pageEnd = pageAt(outline, Math.max(charStart, charEnd - 1));
  if (pageStart !== undefined) {
    location.pageStart = pageStart;
    location.pageEnd = pageEnd ?? pageStart;
  }
  return Object.keys(location).length ? location : undefined;
}
