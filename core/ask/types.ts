import type { AskResponse, Citation } from '../api/ask';

/** A retrieved chunk offered to the model (what its citation will say, and its text); best first. */
export interface AskPassage extends Omit<Citation, 'n'> {
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
