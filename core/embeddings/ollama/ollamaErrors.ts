import { KbError } from '../../api/errors';

/**
 * What went wrong talking to Ollama, before it is worded for the user. `reset` and HTTP 5xx are
 * worth one retry; the rest are not.
 */
export type FailureReason = 'unreachable' | 'reset' | 'timeout' | 'closed' | 'http' | 'invalid';

export class OllamaFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly status?: number,
    /** Ollama's `error` text, or the start of a non-JSON body. */
    readonly detail?: string,
    /** For `unreachable`: the system error code (ECONNREFUSED, ENOTFOUND, …). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'OllamaFailure';
  }

  get retryable(): boolean {
    return this.reason === 'reset' || (this.reason === 'http' && (this.status ?? 0) >= 500);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** System error codes anywhere in an error's cause chain (undici nests them; happy eyeballs aggregates them). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(e.cause, depth + 1)];
}

/** Classifies what `fetch` (or reading its body) threw. */
export function classifyFetchError(err: unknown, closed: boolean): OllamaFailure {
  if (closed) return new OllamaFailure('closed', 'closed');
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new OllamaFailure('timeout', 'timeout');
  const codes = errorCodes(err);
  const message = err instanceof Error ? err.message : String(err);
  const reset = codes.find((c) => RESET.has(c));
  if (reset) return new OllamaFailure('reset', message, undefined, undefined, reset);
  const code = codes.find((c) => UNREACHABLE.has(c)) ?? codes[0];
  return new OllamaFailure('unreachable', message, undefined, undefined, code);
}

/** Ollama answers errors as `{"error": "…"}`; anything else (a proxy's page) is shown briefly. */
export function errorText(body: string): { text: string; json: boolean } {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (parsed && typeof parsed.error === 'string') return { text: parsed.error, json: true };
  } catch {
    // not JSON: fall through
  }
  const trimmed = body.trim().replace(/\s+/g, ' ');
  return { text: trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed, json: false };
}

/** `800 ms`, `2.5 s`: a duration in an error message. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

export interface FailureContext {
  url: string;
  timeoutMs: number;
  /** The Ollama model name, when the request was about one. */
  model?: string;
}

/** Words a failure for the user: what happened and what to do about it. */
export function toKbError(f: OllamaFailure, ctx: FailureContext): KbError {
  const { url, model } = ctx;
  switch (f.reason) {
    case 'closed':
      return new KbError('Cancelled', 'The embedding service has shut down');
    case 'timeout':
      return new KbError(
        'ProviderUnavailable',
        `Ollama at ${url} did not answer within ${formatMs(ctx.timeoutMs)} (embedding.timeoutMs)` +
          (model ? `; it may still be loading ${model}: try again, or raise the timeout in settings` : ''),
        { cause: f },
      );
    case 'unreachable':
      if (!f.code || f.code === 'ECONNREFUSED') {
        return new KbError('ProviderUnavailable', `Ollama is not running at ${url}: start it with \`ollama serve\``, { cause: f });
      }
      return new KbError(
        'ProviderUnavailable',
        `Cannot reach Ollama at ${url} (${f.code}): check the Ollama URL in settings, or start it with \`ollama serve\``,
        { cause: f },
      );
    case 'reset':
      return new KbError('ProviderUnavailable', `Ollama at ${url} closed the connection (${f.code ?? 'reset'}), twice: check that it is still running`, {
        cause: f,
      });
    case 'invalid':
      return new KbError('ProviderUnavailable', `The server at ${url} did not answer like Ollama: ${f.message}`, { cause: f });
    case 'http':
      return httpError(f, ctx);
  }
}

function httpError(f: OllamaFailure, { url, model }: FailureContext): KbError {
  const detail = f.detail ?? '';
  // Ollama's 404s carry a JSON error naming the model (`model "x" not found, try pulling it
  // first`); a bare `404 page not found` means the endpoint itself is missing.
  if (f.status === 404 && model && /not found/i.test(detail) && /model/i.test(detail)) {
    return new KbError('ModelUnavailable', `The Ollama model ${model} is not installed at ${url}: run \`ollama pull ${model}\``, { cause: f });
  }
  if (f.status === 404) {
    return new KbError(
      'ProviderUnavailable',
      `The server at ${url} has no ${f.message} (HTTP 404${detail ? `: ${detail}` : ''}): is it Ollama, and a current version? Update it from ollama.com`,
      { cause: f },
    );
  }
  return new KbError('ProviderUnavailable', `Ollama at ${url} failed (HTTP ${f.status})${detail ? `: ${detail}` : ''}`, { cause: f });
}
