import { KbError } from '../api/errors';
import { formatMs, type OllamaFailure, toKbError } from '../embeddings/ollama/ollamaErrors';

/** Which server and model a chat went to, for the wording of its errors. */
export interface ChatErrorContext {
  url: string;
  model: string;
}

const HOW_TO_ENABLE_ASK = 'Start Ollama (https://ollama.com) or set OLLAMA_HOST / Settings → Ask → Ollama URL';

/** Words a failed exchange with Ollama for someone who asked a question. */
export function chatFailureError(f: OllamaFailure, ctx: ChatErrorContext): KbError {
  const { url } = ctx;
  switch (f.reason) {
    case 'unreachable':
      return new KbError(
        'ProviderUnavailable',
        `Ask needs a local Ollama server to write answers, and none answered${f.code && f.code !== 'ECONNREFUSED' ? ` (${f.code})` : ''}. ${HOW_TO_ENABLE_ASK}; tried ${url}`,
        { cause: f },
      );
    // Timeouts and stops are worded where they happen (OllamaChat knows which signal fired); here
    // they would be aborts it did not make, which look like a dropped connection to the user.
    case 'reset':
    case 'timeout':
    case 'closed':
      return new KbError(
        'ProviderUnavailable',
        `Ollama at ${url} closed the connection${f.code ? ` (${f.code})` : ''} before the answer was complete: check that it is still running, then try again`,
        { cause: f },
      );
    case 'http':
    case 'invalid':
      // A 404 naming the model becomes ModelUnavailable with `ollama pull <model>`.
      return toKbError(f, { url, timeoutMs: 0, model: ctx.model });
  }
}

/** Ollama never started answering (`connect`), or went quiet in the middle of an answer (`idle`). */
export function chatTimeoutError(phase: 'connect' | 'idle', ms: number, { url, model }: ChatErrorContext): KbError {
  if (phase === 'connect') {
    return new KbError(
      'ProviderUnavailable',
      `Ollama at ${url} did not start answering within ${formatMs(ms)}; it may still be loading ${model}: try again in a moment`,
    );
  }
  return new KbError(
    'ProviderUnavailable',
    `Ollama at ${url} stopped in the middle of the answer (nothing for ${formatMs(ms)}): check that it is still running, then try again`,
  );
}

/** An `{"error": …}` line in the stream: Ollama failed after it had started answering. */
export function chatStreamError(detail: string, { url }: ChatErrorContext): KbError {
  return new KbError('ProviderUnavailable', `Ollama at ${url} failed while answering: ${detail}`);
}

/** The stream ended without Ollama's final `done` line. */
export function chatEndedEarlyError({ url }: ChatErrorContext): KbError {
  return new KbError('ProviderUnavailable', `Ollama at ${url} ended the answer before it was complete: check that it is still running, then try again`);
}

export function chatCancelledError(): KbError {
  return new KbError('Cancelled', 'The answer was stopped');
}
