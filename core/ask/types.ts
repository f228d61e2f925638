import type { AskResponse } from '../api/ask';
import type { ChunkLocation } from '../api/types';

/** A retrieved chunk offered to the model; `retrieve` returns them best first. */
export interface AskPassage {
  documentId: string;
  documentName: string;
  chunkId: string;
  location?: ChunkLocation;
  /** Offsets of the passage in the document's text, passed on to its citation. */
  charStart?: number;
  charEnd?: number;
  text: string;
}

/** A passage as the model saw it: numbered from 1 in rank order, its text cut when `truncated`. */
export interface NumberedPassage extends AskPassage {
  n: number;
  truncated?: boolean;
}

export type { Citation, CitationMarker } from '../api/ask';

/** What askQuestion returns: the contract's AskResponse without what the service adds. */
export type AskResult = Omit<AskResponse, 'question' | 'tookMs'>;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Tokens in a text, by some measure; it should rather overcount than undercount. */
export type TokenCounter = (text: string) => number;
