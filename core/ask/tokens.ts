import type { ChatMessage, TokenCounter } from './types';

/**
 * A conservative token count for chat models, whose tokenizers are not available here: English
 * and code run ~4 characters per token, so ASCII counts one per 3.5 characters; every other UTF-16
 * unit counts a whole token (CJK characters are often one token or more, emoji several units).
 */
export const estimateTokens: TokenCounter = (text) => {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return Math.ceil(ascii / 3.5 + (text.length - ascii));
};

/** What a chat template adds around the messages: role headers, separators, a default preamble. */
const TEMPLATE_TOKENS = 32;
const TOKENS_PER_MESSAGE = 8;

/** The prompt's size as the model will see it, by `count`'s measure. */
export function promptTokens(messages: readonly ChatMessage[], count: TokenCounter): number {
  return messages.reduce((sum, m) => sum + count(m.content) + TOKENS_PER_MESSAGE, TEMPLATE_TOKENS);
}
