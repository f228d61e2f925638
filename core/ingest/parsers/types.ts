/** What a parser makes of a file: its readable text, and for paged formats where each page sits. */
export interface PageRange {
  /** 1-based page number. */
  page: number;
  /** Offset in `text` where the page starts (inclusive). */
  charStart: number;
  /** Offset in `text` where the page ends (exclusive). */
  charEnd: number;
}

export interface ParsedDocument {
  text: string;
  mimeType: string;
  pages?: PageRange[];
}
