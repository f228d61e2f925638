/** What a parser makes of a file: its readable text, and for paged formats where each page sits. */
export interface PageRange {
  /** 1-based page number. */
  page: number;
  /** Offset in `text` where the page starts (inclusive). */
  charStart: number;
  /** Offset in `text` where the page ends (exclusive). */
  charEnd: number;
}

/** A heading of a Markdown or HTML document, where it sits in the extracted text. */
export interface Heading {
  /** 1 for a top-level heading (# or h1) to 6. */
  level: number;
  title: string;
  /** Offsets of the heading's line in `text`: [charStart, charEnd). */
  charStart: number;
  charEnd: number;
}

/** The structure of a document's text: where its headings and pages are. Kept with the text. */
export interface DocumentOutline {
  headings?: Heading[];
  pages?: PageRange[];
}

export interface ParsedDocument extends DocumentOutline {
  text: string;
  mimeType: string;
}
