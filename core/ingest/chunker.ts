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

/**
 * Splits [start, end) of text at the first separator level that cuts it, recursing on pieces still
 * too long. A generator: pieces are made as they are packed, so a long text without paragraph
 * breaks (a 50 MB one-line file) never holds millions of word-sized pieces at once.
 */
function* split(text: string, span: Span, size: number, level: number): Generator<Span> {
  if (span.end - span.start <= size) {
    yield span;
    return;
  }
  const sep = SEPARATORS[level];
  if (!sep) {
    for (let s = span.start; s < span.end; s += size) yield { start: s, end: Math.min(s + size, span.end) };
    return;
  }
  let cursor = span.start;
  // matchAll works on its own copy of the regex, so nested levels do not disturb each other.
  for (const m of text.slice(span.start, span.end).matchAll(sep)) {
    const cut = span.start + (m.index ?? 0) + m[0].length;
    if (cut > cursor && cut < span.end) {
      yield* split(text, { start: cursor, end: cut }, size, level + 1);
      cursor = cut;
    }
  }
  // The last piece; or, when this level did not cut it, the whole span at the next level.
  yield* split(text, { start: cursor, end: span.end }, size, level + 1);
}

/**
 * Packs adjacent pieces of one section into chunks up to `size`, starting each new chunk with some
 * overlap. Stops once there are more than `maxChunks`.
 */
function pack(text: string, pieces: Iterable<Span>, { size, overlap }: ChunkOptions, chunks: Chunk[], maxChunks: number): void {
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
    if (chunks.length > maxChunks) return;
    // Start the next chunk a little before this piece, at a word boundary, when it fits.
    let start = piece.start;
    if (current && overlap > 0 && piece.end - piece.start + overlap <= size) {
      const from = Math.max(current.start, piece.start - overlap);
      // Searched within the overlap only: in a text without spaces, indexOf would scan to its end.
      const space = text.slice(from, piece.start).indexOf(' ');
      start = space >= 0 ? from + space + 1 : piece.start;
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
 * packing pieces up to `size` characters with `overlap` repeated between neighbours. With
 * `maxChunks`, stops as soon as there are more than that (the caller refuses the text).
 */
export function chunkText(text: string, options: ChunkOptions, sectionStarts: number[] = [], maxChunks = Infinity): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sections(text.length, sectionStarts, options.size)) {
    pack(text, split(text, section, options.size, 0), options, chunks, maxChunks);
    if (chunks.length > maxChunks) break;
  }
  return chunks;
}

/** Chunking as the settings say; overlap never exceeds half a chunk. */
export function chunkOptions(ingest: { chunkSize: number; chunkOverlap: number }): ChunkOptions {
  return { size: ingest.chunkSize, overlap: Math.min(ingest.chunkOverlap, ingest.chunkSize / 2) };
}
