import { KbError } from '../api/errors';
import { buildMessages } from './prompt';
import { estimateTokens, promptTokens } from './tokens';
import type { AskPassage, ChatMessage, NumberedPassage, TokenCounter } from './types';

export interface FitContextInput {
  question: string;
  /** Best first; several may come from one document. */
  passages: readonly AskPassage[];
  /** The model's context window (Ollama's `num_ctx`). */
  contextTokens: number;
  /** Tokens kept free for the answer. */
  answerReserveTokens: number;
  /** Default: `estimateTokens`. */
  countTokens?: TokenCounter;
}

export interface FittedContext {
  /** The passages in the prompt, numbered 1..n in rank order. */
  passages: NumberedPassage[];
  messages: ChatMessage[];
  /** The prompt's size by the counter's measure: at most `contextTokens − answerReserveTokens`. */
  promptTokens: number;
}

/**
 * Chooses the passages for a prompt: in rank order, each one that still fits whole (a long one is
 * skipped so that shorter ones after it can fit), exact duplicates once. Only when no passage fits
 * whole is the best one cut, at the end of a sentence or else of a word. The whole prompt is
 * measured at every step, so it never exceeds the budget by the counter's measure.
 */
export function fitContext(input: FitContextInput): FittedContext {
  const count = input.countTokens ?? estimateTokens;
  const budget = input.contextTokens - input.answerReserveTokens;
  const fits = (ps: NumberedPassage[]) => promptTokens(buildMessages(input.question, ps), count) <= budget;

  const unique = distinctTexts(input.passages);
  const chosen: NumberedPassage[] = [];
  for (const p of unique) {
    const candidate = { ...p, n: chosen.length + 1 };
    if (fits([...chosen, candidate])) chosen.push(candidate);
  }
  const best = unique[0];
  if (best && chosen.length === 0) {
    const cut = truncateToFit(best.text, (text) => fits([{ ...best, text, n: 1, truncated: true }]));
    if (cut === undefined) {
      throw new KbError(
        'ValidationError',
        `No passage fits in the model's context of ${input.contextTokens} tokens next to this question ` +
          `(${input.answerReserveTokens} are kept for the answer): ask a shorter question, or use a larger context`,
      );
    }
    chosen.push({ ...best, text: cut, n: 1, truncated: true });
  }
  const messages = buildMessages(input.question, chosen);
  return { passages: chosen, messages, promptTokens: promptTokens(messages, count) };
}

/** Passages with their text trimmed, without empty ones and without repeats of an earlier text. */
function distinctTexts(passages: readonly AskPassage[]): AskPassage[] {
  const seen = new Set<string>();
  const out: AskPassage[] = [];
  for (const p of passages) {
    const text = p.text.trim();
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    out.push({ ...p, text });
  }
  return out;
}

const ELLIPSIS = ' …';

/** The longest start of `text` ending a sentence (else a word) that fits; undefined when not one word does. */
function truncateToFit(text: string, fits: (text: string) => boolean): string | undefined {
  for (const cuts of [sentenceEnds(text), wordEnds(text)]) {
    const cut = largestFitting(cuts, (c) => fits(text.slice(0, c).trimEnd() + ELLIPSIS));
    if (cut !== undefined) return text.slice(0, cut).trimEnd() + ELLIPSIS;
  }
  return undefined;
}

/** Offsets just after a sentence's end (`.`, `!`, `?` before a space; `。！？`) or before a line break. */
function sentenceEnds(text: string): number[] {
  const ends = [...text.matchAll(/[.!?](?=\s)|[。！？]|(?=\n)/g)].map((m) => m.index + m[0].length);
  return [...new Set(ends)].filter((i) => i > 0);
}

/** Offsets just after each word that a space follows. */
function wordEnds(text: string): number[] {
  return [...text.matchAll(/\S(?=\s)/g)].map((m) => m.index + 1);
}

/** Binary search for the largest cut that fits; every cut returned was measured. */
function largestFitting(cuts: number[], fits: (cut: number) => boolean): number | undefined {
  let lo = 0;
  let hi = cuts.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cut = cuts[mid] as number;
    if (fits(cut)) {
      best = cut;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
