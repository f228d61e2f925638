import { KbError } from '../api/errors';

/**
 * How much one file may produce, whatever its format: a small file must not expand into hundreds
 * of megabytes of text or hundreds of thousands of chunks (a 317 KB JSON file of 3,000 nested
 * 100-character keys flattens to 303 MB of key paths). Parsers check the text as they build it
 * (TextBudget), so they stop producing at the bound instead of building everything first; the
 * chunking step checks the chunk count likewise. Past a bound the file is refused alone.
 */
export interface OutputLimits {
  /** Characters of text allowed per byte of the file… */
  textPerByte: number;
  /** …plus this many, so a small file may still expand (long CSV headers, deep JSON key paths). */
  textFloor: number;
  /** Characters of text one file may produce at most, whatever its size. */
  textMax: number;
  /** Chunks (embedded passages) allowed per megabyte of the file… */
  chunksPerMB: number;
  /** …plus this many… */
  chunksFloor: number;
  /** …and at most this many, whatever its size. */
  chunksMax: number;
  /** Deepest nesting of arrays and objects read in a JSON file. */
  jsonMaxDepth: number;
}

const MB = 1024 * 1024;

/**
 * Text: plain text, Markdown and HTML give at most one character per byte; CSV (each value named
 * by its column) and JSON (each value named by its key path) usually 1–6; compressed PDF and
 * Word files rarely more than 10. 20× plus 1 MB leaves room for all of them, while the 317 KB
 * JSON above stops at 7.2 MB instead of 303 MB. 64 M characters (64–128 MB of string) keeps the
 * parse worker far inside its 1 GB heap and is above the default 50 MB file size limit, so any
 * plain text file that limit admits passes this bound.
 *
 * Chunks: one passage per 200 bytes of the file plus 2,000, and 60,000 at most. Plain text makes
 * about one passage per 1,000 bytes, so every text file the default 50 MB size limit admits passes;
 * what only expansion produces (a 5 MB JSON array of numbers flattening to 33 MB of lines) does
 * not. The count bounds what one file costs after parsing — embedding time, index size, the time
 * the queue is held for the files behind it — and, unlike a clock, gives a file the same answer
 * on every machine.
 *
 * JSON depth: 1,000 levels. Real documents nest a few dozen at most; past that each value's line
 * would carry a key path of thousands of characters, which nobody reads.
 */
export const OUTPUT_LIMITS: OutputLimits = {
  textPerByte: 20,
  textFloor: 1 * MB,
  textMax: 64 * MB,
  chunksPerMB: 5_000,
  chunksFloor: 2_000,
  chunksMax: 60_000,
  jsonMaxDepth: 1_000,
};

/** The most text a file of `inputBytes` may produce. */
export function maxTextLength(inputBytes: number, limits: OutputLimits = OUTPUT_LIMITS): number {
  return Math.min(limits.textMax, limits.textPerByte * inputBytes + limits.textFloor);
}

/** The most chunks a file of `inputBytes` may produce. */
export function maxChunksFor(inputBytes: number, limits: OutputLimits = OUTPUT_LIMITS): number {
  return Math.min(limits.chunksMax, Math.floor((limits.chunksPerMB * inputBytes) / MB) + limits.chunksFloor);
}

/** "317 KB", "45.0 MB": sizes as a person reads them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The refusal of a file whose text would pass maxTextLength. */
export function tooMuchText(fileName: string, inputBytes: number, limits: OutputLimits = OUTPUT_LIMITS): KbError {
  const max = maxTextLength(inputBytes, limits);
  const rule =
    max === limits.textMax
      ? `at most ${formatSize(limits.textMax)} of text per file`
      : `at most ${limits.textPerByte} times a file's size plus ${formatSize(limits.textFloor)} of text`;
  return new KbError(
    'UnsupportedFile',
    `${fileName} (${formatSize(inputBytes)}) expands to more than ${formatSize(max)} of text; ` +
      `qckstrt indexes ${rule}, so that one file cannot hold up indexing or fill the library. Split it into smaller files.`,
  );
}

/** The refusal of a file that would make more than `limits.maxChunks` chunks. */
export function tooManyChunks(fileName: string, limits: { maxChunks: number }): KbError {
  const max = limits.maxChunks.toLocaleString('en-US');
  return new KbError(
    'UnsupportedFile',
    `${fileName} would make more than ${max} passages to embed, more than qckstrt takes from one file of its size ` +
      `(one per 200 bytes plus 2,000, and 60,000 at most), so that one file cannot hold up indexing or fill the library. Split it into smaller files.`,
  );
}

/**
 * Text built piece by piece under a file's bound: `add` refuses the piece that would pass it,
 * before it is concatenated. Pieces are joined into blocks as they come, so many short lines cost
 * about their characters, not an array slot and a string header each.
 */
export class TextBuilder {
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  private length = 0;
  private readonly max: number;

  constructor(
    private readonly fileName: string,
    private readonly inputBytes: number,
    private readonly limits: OutputLimits = OUTPUT_LIMITS,
    private readonly separator = '\n',
  ) {
    this.max = maxTextLength(inputBytes, limits);
  }

  /** Characters so far, separators included. */
  get size(): number {
    return this.length;
  }

  /** Checks that `extra` more characters still fit, without adding anything. */
  reserve(extra: number): void {
    if (this.length + extra > this.max) throw tooMuchText(this.fileName, this.inputBytes, this.limits);
  }

  /** Appends one piece (after a separator unless it is the first). */
  add(piece: string): void {
    const extra = piece.length + (this.length > 0 ? this.separator.length : 0);
    this.reserve(extra);
    this.pending.push(piece);
    this.length += extra;
    this.pendingLength += piece.length;
    if (this.pending.length >= 4096 || this.pendingLength >= 1 * MB) this.flush();
  }

  toString(): string {
    this.flush();
    return this.blocks.join(this.separator);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.blocks.push(this.pending.join(this.separator));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** Refuses text that passes the file's bound (for parsers that get their text whole). */
export function checkTextLength(text: string, fileName: string, inputBytes: number, limits: OutputLimits = OUTPUT_LIMITS): void {
  if (text.length > maxTextLength(inputBytes, limits)) throw tooMuchText(fileName, inputBytes, limits);
}
