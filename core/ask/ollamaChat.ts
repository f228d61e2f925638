import { setTimeout as sleep } from 'node:timers/promises';
import { OllamaFailure, classifyFetchError, errorText } from '../embeddings/ollama/ollamaErrors';
import {
  type ChatErrorContext,
  chatCancelledError,
  chatEndedEarlyError,
  chatFailureError,
  chatStreamError,
  chatTimeoutError,
} from './chatErrors';
import { NdjsonLines } from './ndjsonLines';
import type { ChatMessage } from './types';

/** Ollama's model options this app sets (docs/modelfile.md#parameter in ollama/ollama). */
export interface ChatOptions {
  num_ctx?: number;
  temperature?: number;
  /** Longest answer in tokens. */
  num_predict?: number;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  options?: ChatOptions;
  /** Called with each piece of the answer as it arrives. */
  onDelta?: (text: string) => void;
  /** Aborting stops the answer: the request rejects with `Cancelled` and the connection closes. */
  signal?: AbortSignal;
}

/** From Ollama's final line. */
export interface ChatStats {
  doneReason?: string;
  promptEvalCount?: number;
  evalCount?: number;
}

export interface ChatResult {
  text: string;
  stats: ChatStats;
}

/** Something that answers a chat, streaming: `OllamaChat`, or a stand-in in tests. */
export interface ChatModel {
  chat(request: ChatRequest): Promise<ChatResult>;
}

export interface OllamaChatOptions {
  /** Base URL, e.g. `http://127.0.0.1:11434` (a path prefix behind a proxy is kept). */
  url: string;
  /**
   * Longest wait for Ollama to start answering. Ollama sends its headers with the first piece of
   * the answer, after loading the model and reading the whole prompt, so this is generous.
   */
  connectTimeoutMs?: number;
  /** Longest silence between two lines of the answer. */
  idleTimeoutMs?: number;
  /** Pause before the one retry after a connection reset or HTTP 5xx. */
  retryDelayMs?: number;
}

/** The parts of a line of Ollama's `/api/chat` stream this client reads. */
interface ChatLine {
  message?: { content?: unknown };
  done?: unknown;
  done_reason?: unknown;
  prompt_eval_count?: unknown;
  eval_count?: unknown;
  error?: unknown;
}

/**
 * Streams an answer from Ollama's `POST /api/chat`. One retry for a connection reset or HTTP 5xx,
 * and only while nothing has been passed to `onDelta` (a retry would repeat it); errors are
 * `KbError`s worded for the user (see chatErrors.ts).
 */
export class OllamaChat implements ChatModel {
  readonly url: string;
  private readonly endpoint: URL;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly retryDelayMs: number;

  constructor(opts: OllamaChatOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.endpoint = new URL('api/chat', `${this.url}/`);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 120_000;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.retryDelayMs = opts.retryDelayMs ?? 250;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const ctx: ChatErrorContext = { url: this.url, model: request.model };
    for (let attempt = 1; ; attempt++) {
      const progress = { delivered: false };
      try {
        return await this.stream(request, ctx, progress);
      } catch (err) {
        if (!(err instanceof OllamaFailure)) throw err;
        if (attempt > 1 || !err.retryable || progress.delivered) throw chatFailureError(err, ctx);
        try {
          await sleep(this.retryDelayMs, undefined, { signal: request.signal });
        } catch {
          throw chatCancelledError();
        }
      }
    }
  }

  /** One exchange. Throws `OllamaFailure` for what may be retried or worded later, `KbError` for the rest. */
  private async stream(request: ChatRequest, ctx: ChatErrorContext, progress: { delivered: boolean }): Promise<ChatResult> {
    if (request.signal?.aborted) throw chatCancelledError();
    const deadline = new AbortController();
    let phase: 'connect' | 'idle' = 'connect';
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => deadline.abort(), ms);
    };
    // Fetch reports every abort alike; which signal fired tells a stop from a timeout.
    const failed = (err: unknown): Error => {
      if (request.signal?.aborted) return chatCancelledError();
      if (deadline.signal.aborted) return chatTimeoutError(phase, phase === 'connect' ? this.connectTimeoutMs : this.idleTimeoutMs, ctx);
      return classifyFetchError(err, false);
    };
    const { model, messages, options } = request;
    arm(this.connectTimeoutMs);
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages, stream: true, ...(options ? { options } : {}) }),
        signal: request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal,
      }).catch((err: unknown) => {
        throw failed(err);
      });
      if (!res.ok) {
        const body = await res.text().catch((err: unknown) => {
          throw failed(err);
        });
        throw new OllamaFailure('http', '/api/chat', res.status, errorText(body).text);
      }
      if (!res.body) throw new OllamaFailure('invalid', 'its /api/chat answer is empty');
      phase = 'idle';
      arm(this.idleTimeoutMs);

      const reader = res.body.getReader();
      const lines = new NdjsonLines();
      let text = '';
      try {
        for (;;) {
          const chunk = await reader.read().catch((err: unknown) => {
            throw failed(err);
          });
          for (const line of chunk.done ? lines.end() : lines.push(chunk.value)) {
            arm(this.idleTimeoutMs);
            const parsed = parseLine(line);
            if (typeof parsed.error === 'string') throw chatStreamError(parsed.error, ctx);
            const piece = typeof parsed.message?.content === 'string' ? parsed.message.content : '';
            if (piece) {
              text += piece;
              progress.delivered = true;
              request.onDelta?.(piece);
            }
            if (parsed.done === true) return { text, stats: statsOf(parsed) };
          }
          if (chunk.done) throw chatEndedEarlyError(ctx);
        }
      } finally {
        // Whatever ended the loop (the last line, an error, an abort), stop the download and
        // close the connection.
        await reader.cancel().catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseLine(line: string): ChatLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object') {
    throw new OllamaFailure('invalid', `its /api/chat answer has a line that is not a JSON object (${errorText(line).text})`);
  }
  return parsed as ChatLine;
}

function statsOf(line: ChatLine): ChatStats {
  const stats: ChatStats = {};
  if (typeof line.done_reason === 'string') stats.doneReason = line.done_reason;
  if (typeof line.prompt_eval_count === 'number') stats.promptEvalCount = line.prompt_eval_count;
  if (typeof line.eval_count === 'number') stats.evalCount = line.eval_count;
  return stats;
}
