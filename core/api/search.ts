/** What the search API takes and gives: plain data, the same over IPC, HTTP and the CLI. */
import type { ChunkLocation } from './types';

/**
 * `hybrid` (the default) fuses keyword (BM25) and vector (meaning) rankings; the two single modes
 * stay for comparison and for people who want exactly one of them.
 */
export const SEARCH_MODES = ['hybrid', 'keyword', 'vector'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** File types a search can be narrowed to, by the extensions of the document's name. */
export const FILE_TYPES = {
  md: { label: 'Markdown', extensions: ['md', 'markdown'] },
  txt: { label: 'Text', extensions: ['txt', 'text'] },
  pdf: { label: 'PDF', extensions: ['pdf'] },
  docx: { label: 'Word', extensions: ['docx'] },
  html: { label: 'HTML', extensions: ['html', 'htm'] },
  csv: { label: 'CSV', extensions: ['csv'] },
  json: { label: 'JSON', extensions: ['json'] },
  code: {
    label: 'Code',
    extensions: ['ts', 'tsx', 'js', 'jsx', 'py', 'go', 'rs', 'java', 'c', 'h', 'cpp', 'cs', 'rb', 'php', 'sh', 'sql', 'yaml', 'yml', 'toml', 'css'],
  },
} as const satisfies Record<string, { label: string; extensions: readonly string[] }>;
export type FileType = keyof typeof FILE_TYPES;
export const FILE_TYPE_NAMES = Object.keys(FILE_TYPES) as FileType[];

/** Narrows a search; every filter stays within the user's own documents. */
export interface SearchFilters {
  types?: FileType[];
  /** A folder: documents whose source file is in it or below it. */
  folder?: string;
  /** Added on or after this day (YYYY-MM-DD, local midnight) or instant (ISO 8601). */
  since?: string;
}

/** How well a result matches, on a scale that means the same from one query to the next. */
export type MatchStrength = 'strong' | 'partial' | 'weak';

/** One passage of a document that matched, trimmed for reading. */
export interface SearchPassage {
  chunkId: string;
  chunkIndex: number;
  /** Readable text around the best match: no Markdown markers or JSON key paths. */
  snippet: string;
  /** Where the query's words are in `snippet`: [start, end) character offsets, in order. */
  highlights: [number, number][];
  /** Offsets of the passage in the document's text (for showing it in context). */
  charStart: number;
  charEnd: number;
  location?: ChunkLocation;
  /** Each ranking's own score for this passage: BM25 (higher is better) and cosine similarity. */
  scores: { keyword?: number; vector?: number };
  /** The passage's whole text; only where the caller asked for it (Ask passes it to the model). */
  text?: string;
}

/**
 * One document that matched, with its best passage at the top level (so a caller can read a hit
 * like a passage) and its best passages, up to three, in `passages`.
 */
export interface SearchHit extends SearchPassage {
  documentId: string;
  documentName: string;
  /** The source file, for files indexed from disk. */
  sourcePath?: string;
  /**
   * How well the document matches, 0–1, calibrated so it means the same for every query: it
   * combines the share of the query's words the document contains with how close its meaning is
   * (relative to what this model gives unrelated text). Not a probability.
   */
  score: number;
  match: MatchStrength;
  /** Each ranking's own score for the document, and the fused one that ordered the results. */
  documentScores: { keyword?: number; vector?: number; fused: number };
  passages: SearchPassage[];
}

export interface SearchResponse {
  query: string;
  mode: SearchMode;
  hits: SearchHit[];
  tookMs: number;
  model: string;
  /** The query searched instead, when words of it appear nowhere in the library (typos). */
  correctedQuery?: string;
  /** No result matches well: `hits` are the closest documents, each marked weak. */
  weak: boolean;
}
