export interface Chunk {
  index: number;
  text: string;
  /** Offsets of the chunk in the document's text. */
  charStart: number;
  charEnd: number;
}

export interface ChunkOptions {
  /** Largest chunk, in characters. */
  size: number;
  /** Characters repeated from the end of one chunk at the start of the next. */
  overlap: number;
}

interface Span {
  start: number;
  end: number;
}

/** Boundaries tried in order: Markdown headings, blank lines, line breaks, sentence ends, spaces. */
const SEPARATORS: RegExp[] = [/\n(?=#{1,6}\s)/g, /\n\s*\n/g, /\n/g, /(?<=[.!?])\s+/g, /\s+/g];

/** Splits [start, end) of text at the first separator level that cuts it, recursing on pieces still too long. */
function split(text: string, span: Span, size: number, level: number): Span[] {
  if (span.end - span.start <= size) return [span];
  const sep = SEPARATORS[level];
  if (!sep) {
    const out: Span[] = [];
    for (let s = span.start; s < span.end; s += size) out.push({ start: s, end: Math.min(s + size, span.end) });
    return out;
  }
  const pieces: Span[] = [];
  let cursor = span.start;
  const slice = text.slice(span.start, span.end);
  for (const m of slice.matchAll(sep)) {
    const cut = span.start + (m.index ?? 0) + m[0].length;
    if (cut > cursor && cut < span.end) {
      pieces.push({ start: cursor, end: cut });
      cursor = cut;
    }
  }
  pieces.push({ start: cursor, end: span.end });
  if (pieces.length === 1) return split(text, span, size, level + 1);
  return pieces.flatMap((p) => split(text, p, size, level + 1));
}

/** Packs adjacent pieces of one section into chunks up to `size`, starting each new chunk with some overlap. */
function pack(text: string, pieces: Span[], { size, overlap }: ChunkOptions, chunks: Chunk[]): void {
  let current: Span | undefined;
  const flush = () => {
    if (!current) return;
    const raw = text.slice(current.start, current.end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) {
      chunks.push({ index: chunks.length, text: body, charStart: current.start + lead, charEnd: current.start + lead + body.length });
    }
  };
  for (const piece of pieces) {
    if (current && piece.end - current.start <= size) {
      current.end = piece.end;
      continue;
    }
    flush();
    // Start the next chunk a little before this piece, at a word boundary, when it fits.
    let start = piece.start;
    if (current && overlap > 0 && piece.end - piece.start + overlap <= size) {
      const from = Math.max(current.start, piece.start - overlap);
      const space = text.indexOf(' ', from);
      start = space >= 0 && space < piece.start ? space + 1 : piece.start;
    }
    current = { start, end: piece.end };
  }
  flush();
}

/**
 * The text cut at the section starts (heading offsets), with a section too short to stand alone
 * (a heading followed straight by a sub-heading, a one-line section) joined to the next one while
 * both fit in a chunk.
 */
function sections(length: number, starts: number[], size: number): Span[] {
  const cuts = [...new Set(starts.filter((s) => s > 0 && s < length))].sort((a, b) => a - b);
  const bounds = [0, ...cuts, length];
  const out: Span[] = [];
  const minSection = Math.floor(size / 4);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const span = { start: bounds[i] as number, end: bounds[i + 1] as number };
    const last = out[out.length - 1];
    if (last && last.end - last.start < minSection && span.end - last.start <= size) last.end = span.end;
    else out.push(span);
  }
  return out;
}

/**
 * Splits text into chunks: first at the section starts given (the document's headings), so no
 * chunk runs across a heading, then within each section by paragraphs, lines, sentences and words,
 * packing pieces up to `size` characters with `overlap` repeated between neighbours.
 */
export function chunkText(text: string, options: ChunkOptions, sectionStarts: number[] = []): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sections(text.length, sectionStarts, options.size)) {
    pack(text, split(text, section, options.size, 0), options, chunks);
  }
  return chunks;
}

/** Chunking as the settings say; overlap never exceeds half a chunk. */
export function chunkOptions(ingest: { chunkSize: number; chunkOverlap: number }): ChunkOptions {
  return { size: ingest.chunkSize, overlap: Math.min(ingest.chunkOverlap, ingest.chunkSize / 2) };
}
