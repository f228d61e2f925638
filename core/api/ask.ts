/** What Ask (the specification's RAG flow) takes and gives: plain data over IPC, HTTP and the CLI. */
import type { ChunkLocation } from './types';

/** A passage the answer cites, once, in order of its first citation. */
export interface Citation {
  /** The number the answer uses for it: `[n]`. */
  n: number;
  documentId: string;
  documentName: string;
  chunkId: string;
  location?: ChunkLocation;
  /** Offsets of the passage in the document's text, to show it in context. */
  charStart?: number;
  charEnd?: number;
}

/** Where a citation such as `[2]` or `[1, 3]` sits in the answer: `answer.slice(start, end)`. */
export interface CitationMarker {
  start: number;
  end: number;
  /** The passages it cites (only numbers that exist), in the order written. */
  numbers: number[];
}

export interface AskResponse {
  question: string;
  answer: string;
  citations: Citation[];
  markers: CitationMarker[];
  /** The Ollama model that answered. */
  model: string;
  /** How many passages went into the prompt; 0 when nothing in the library matched. */
  passagesUsed: number;
  promptTokens?: number;
  evalTokens?: number;
  /** Ollama's `done_reason`: `stop`, or `length` when the answer hit its length limit. */
  doneReason?: string;
  tookMs: number;
}

/** A piece of an answer as it streams (event `askDelta`), for the ask call that passed `streamId`. */
export interface AskDelta {
  streamId: string;
  text: string;
}
