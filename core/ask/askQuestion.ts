import { KbError } from '../api/errors';
import { chatCancelledError } from './chatErrors';
import { findCitations } from './citations';
import { fitContext } from './context';
import type { ChatModel } from './ollamaChat';
import type { AskPassage, AskResult, TokenCounter } from './types';

export const NO_MATCH_ANSWER =
  'Nothing in your library matches this question, so there is nothing to answer from. Try other words, or add documents that cover it.';

/** Ollama's usual context window; sent as `num_ctx`, so the prompt is fitted to what the model reads. */
const DEFAULT_CONTEXT_TOKENS = 4096;
/** Low: the answer should restate the passages, not invent. */
const DEFAULT_TEMPERATURE = 0.2;

export interface AskQuestionInput {
  question: string;
  /** The best passages for a question, best first (hybrid search). */
  retrieve: (question: string) => Promise<readonly AskPassage[]>;
  chat: ChatModel;
  /** The Ollama model name, e.g. `llama3.2`. */
  model: string;
  /** Default `DEFAULT_CONTEXT_TOKENS`. */
  contextTokens?: number;
  /** Tokens kept for the answer, which is also its length limit; default a quarter of the context, at most 1024. */
  answerReserveTokens?: number;
  temperature?: number;
  countTokens?: TokenCounter;
  /** Each piece of the answer as it arrives (the no-match message comes as one piece). */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
}

/**
 * Answers a question from the library: retrieve passages, fit them into the model's context,
 * stream the model's answer, find its citations. When nothing matches, the model is not asked.
 */
export async function askQuestion(input: AskQuestionInput): Promise<AskResult> {
  const { model, signal } = input;
  const question = input.question.trim();
  if (question === '') throw new KbError('ValidationError', 'Ask a question: it is empty');
  if (signal?.aborted) throw chatCancelledError();
  const retrieved = await input.retrieve(question);
  if (signal?.aborted) throw chatCancelledError();

  if (retrieved.length === 0) {
    input.onDelta?.(NO_MATCH_ANSWER);
    return { answer: NO_MATCH_ANSWER, citations: [], markers: [], model, passagesUsed: 0 };
  }

  const contextTokens = input.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const answerReserveTokens = input.answerReserveTokens ?? Math.min(1024, Math.floor(contextTokens / 4));
  const fitted = fitContext({ question, passages: retrieved, contextTokens, answerReserveTokens, countTokens: input.countTokens });
  const { text, stats } = await input.chat.chat({
    model,
    messages: fitted.messages,
    options: { num_ctx: contextTokens, num_predict: answerReserveTokens, temperature: input.temperature ?? DEFAULT_TEMPERATURE },
    onDelta: input.onDelta,
    signal,
  });
  const { citations, markers } = findCitations(text, fitted.passages);
  const result: AskResult = { answer: text, citations, markers, model, passagesUsed: fitted.passages.length };
  if (stats.promptEvalCount !== undefined) result.promptTokens = stats.promptEvalCount;
  if (stats.evalCount !== undefined) result.evalTokens = stats.evalCount;
  if (stats.doneReason !== undefined) result.doneReason = stats.doneReason;
  return result;
}
