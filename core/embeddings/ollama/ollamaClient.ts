import { setTimeout as sleep } from 'node:timers/promises';
import type { KbError } from '../../api/errors';
import { OllamaFailure, classifyFetchError, errorText, toKbError } from './ollamaErrors';

/** The parts of Ollama's responses this app reads (docs/api.md in ollama/ollama). */
export interface EmbedResponse {
  model?: string;
  embeddings: number[][];
}
export interface TagsResponse {
  models: { name: string; model?: string }[];
}
export interface ShowResponse {
  parameters?: string;
  model_info?: Record<string, unknown>;
  capabilities?: string[];
}

export interface OllamaClientOptions {
  /** Base URL, e.g. `http://localhost:11434` (a path prefix behind a proxy is kept). */
  url: string;
  /** Longest wait for one embedding request (`embedding.timeoutMs`). */
  timeoutMs: number;
  /** Longest wait for the light endpoints (version, tags, show); at most `timeoutMs`. */
  probeTimeoutMs?: number;
  /** Pause before the one retry after a connection reset or HTTP 5xx. */
  retryDelayMs?: number;
}

/**
 * A small client for Ollama's HTTP API: a timeout on every request, one retry for connection
 * resets and 5xx answers (none for 4xx, refused connections or timeouts), errors worded for the
 * user as `KbError`s, and `abortAll()` to end what is in flight.
 */
export class OllamaClient {
  readonly url: string;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly closing = new AbortController();

  constructor(opts: OllamaClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.base = new URL(`${this.url}/`);
    this.timeoutMs = opts.timeoutMs;
    this.probeTimeoutMs = Math.min(opts.probeTimeoutMs ?? 5_000, opts.timeoutMs);
    this.retryDelayMs = opts.retryDelayMs ?? 250;
  }

  /**
   * `POST /api/embed`. `truncate: true` (Ollama's default, sent explicitly) cuts an input that is
   * longer than the model's context instead of failing the whole batch; chunks are far shorter.
   */
  async embed(model: string, input: string[], truncate = true): Promise<EmbedResponse> {
    const body = await this.request('POST', 'api/embed', { model, input, truncate }, this.timeoutMs, model);
    const embeddings = (body as { embeddings?: unknown }).embeddings;
    if (!Array.isArray(embeddings) || !embeddings.every(isNumberArray)) {
      throw this.fail(new OllamaFailure('invalid', 'its /api/embed answer has no `embeddings` list of number lists'), this.timeoutMs, model);
    }
    return body as EmbedResponse;
  }

  /** `GET /api/version` → e.g. `0.12.6`. */
  async version(): Promise<string> {
    const body = await this.request('GET', 'api/version', undefined, this.probeTimeoutMs);
    const version = (body as { version?: unknown }).version;
    if (typeof version !== 'string') {
      throw this.fail(new OllamaFailure('invalid', 'its /api/version answer has no `version`'), this.probeTimeoutMs);
    }
    return version;
  }

  /** `GET /api/tags`: the models pulled on that server. */
  async tags(): Promise<TagsResponse> {
    const body = await this.request('GET', 'api/tags', undefined, this.probeTimeoutMs);
    const models = (body as { models?: unknown }).models;
    if (!Array.isArray(models)) throw this.fail(new OllamaFailure('invalid', 'its /api/tags answer has no `models` list'), this.probeTimeoutMs);
    return { models: models.filter((m): m is TagsResponse['models'][number] => typeof (m as { name?: unknown })?.name === 'string') };
  }

  /** `POST /api/show`: a model's metadata (context length, embedding length, parameters). */
  async show(model: string): Promise<ShowResponse> {
    return (await this.request('POST', 'api/show', { model }, this.probeTimeoutMs, model)) as ShowResponse;
  }

  /** Ends every request in flight (they reject with `Cancelled`) and refuses new ones. */
  abortAll(): void {
    this.closing.abort();
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number, model?: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(method, path, body, timeoutMs);
      } catch (err) {
        const failure = err instanceof OllamaFailure ? err : classifyFetchError(err, this.closing.signal.aborted);
        if (attempt === 1 && failure.retryable && !this.closing.signal.aborted) {
          try {
            await sleep(this.retryDelayMs, undefined, { signal: this.closing.signal });
          } catch {
            throw this.fail(new OllamaFailure('closed', 'closed'), timeoutMs, model);
          }
          continue;
        }
        throw this.fail(failure, timeoutMs, model);
      }
    }
  }

  private async once(method: string, path: string, body: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closing.signal.aborted) throw new OllamaFailure('closed', 'closed');
    // One signal for the whole exchange, body included: a server that sends headers and then
    // stalls still times out.
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(timeoutMs)]);
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    if (!res.ok) {
      const { text: detail } = errorText(text);
      throw new OllamaFailure('http', `/${path}`, res.status, detail);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new OllamaFailure('invalid', `its /${path} answer is not JSON (${errorText(text).text || 'empty'})`);
    }
  }

  private fail(f: OllamaFailure, timeoutMs: number, model?: string): KbError {
    return toKbError(f, { url: this.url, timeoutMs, model });
  }
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}
