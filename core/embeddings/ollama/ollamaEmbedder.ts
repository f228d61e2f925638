import { KbError } from '../../api/errors';
import type { Settings } from '../../api/settings';
import type { EmbeddingStatus, ProviderHealth } from '../../api/types';
import { findModel } from '../registry';
import type { EmbeddingProvider } from '../types';
import { DEFAULT_BATCH_CHARS, DEFAULT_BATCH_TEXTS, l2Normalised, planBatches } from './batching';
import { type TaskPrefixes, ollamaModelName, sameModel, taskPrefixesFor } from './modelName';
import { OllamaClient, type ShowResponse } from './ollamaClient';

export interface OllamaEmbedderOptions {
  /** `ollama/<name>`, e.g. `ollama/nomic-embed-text`. */
  modelId: string;
  /** The Ollama server (`embedding.ollamaUrl`). */
  url: string;
  /** Longest wait for one request (`embedding.timeoutMs`). */
  timeoutMs: number;
  /** Registry values used until the server reports its own (0 / a guess for unlisted models). */
  expectedDimensions: number;
  maxTokens: number;
  maxBatchTexts?: number;
  maxBatchChars?: number;
  retryDelayMs?: number;
  /** Add the model's task prefixes (`search_document: ` …) where it has them; on by default. */
  taskPrefixes?: boolean;
}

/**
 * An EmbeddingProvider served by a local Ollama over HTTP (`POST /api/embed`). Texts go in
 * batches, in order; each vector comes back L2-normalised. `ready()` embeds one text to check the
 * server and the model and to learn the real dimension; every later answer must match it.
 */
export class OllamaEmbedder implements EmbeddingProvider {
  readonly modelId: string;
  dimensions: number;
  maxTokens: number;
  /** The name Ollama knows the model by (`nomic-embed-text`). */
  readonly model: string;
  private readonly client: OllamaClient;
  private readonly prefixes: TaskPrefixes | undefined;
  private readonly limits: { maxTexts: number; maxChars: number };
  private loading: Promise<void> | undefined;
  private loaded = false;
  private lastError: KbError | undefined;
  private closed = false;

  constructor(opts: OllamaEmbedderOptions) {
    this.modelId = opts.modelId;
    this.model = ollamaModelName(opts.modelId);
    this.dimensions = opts.expectedDimensions;
    this.maxTokens = opts.maxTokens;
    this.client = new OllamaClient({ url: opts.url, timeoutMs: opts.timeoutMs, retryDelayMs: opts.retryDelayMs });
    this.prefixes = opts.taskPrefixes === false ? undefined : taskPrefixesFor(this.model);
    this.limits = { maxTexts: opts.maxBatchTexts ?? DEFAULT_BATCH_TEXTS, maxChars: opts.maxBatchChars ?? DEFAULT_BATCH_CHARS };
  }

  /** The server's URL, as requests are sent to it. */
  get url(): string {
    return this.client.url;
  }

  ready(): Promise<void> {
    if (this.closed) return Promise.reject(shutDown());
    this.loading ??= this.load();
    return this.loading;
  }

  /** A failed load is forgotten, so the next call tries again (the user may have started Ollama). */
  private async load(): Promise<void> {
    try {
      const [probe] = await this.embedBatch([this.withPrefix('document', 'qckstrt')], undefined);
      if (!probe || probe.length === 0) {
        throw new KbError('ModelUnavailable', `The Ollama model ${this.model} returned an empty vector: is it an embedding model?`);
      }
      this.dimensions = probe.length;
      this.maxTokens = contextLength(await this.client.show(this.model).catch(() => undefined)) ?? this.maxTokens;
      this.loaded = true;
      this.lastError = undefined;
    } catch (err) {
      this.loading = undefined;
      if (err instanceof KbError && err.kind !== 'Cancelled') this.lastError = err;
      throw err;
    }
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) throw shutDown();
    if (texts.length === 0) return [];
    await this.ready();
    const inputs = texts.map((t) => this.withPrefix('document', t));
    const out: Float32Array[] = [];
    for (const [start, end] of planBatches(inputs, this.limits)) {
      out.push(...(await this.embedBatch(inputs.slice(start, end), this.dimensions)));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    if (this.closed) throw shutDown();
    await this.ready();
    const [v] = await this.embedBatch([this.withPrefix('query', text)], this.dimensions);
    if (!v) throw new KbError('Internal', 'Ollama returned no vector');
    return v;
  }

  /**
   * One request. Vectors are checked (one per input, all `expected` long, or all the same length
   * while the dimension is still being learned) and L2-normalised. Ollama's `/api/embed` already
   * normalises, but older servers, proxies and other models may not; doing it here is cheap, and
   * keeps scores on the same scale as the local models' (the stores use cosine either way).
   */
  private async embedBatch(input: string[], expected: number | undefined): Promise<Float32Array[]> {
    const { embeddings } = await this.client.embed(this.model, input);
    if (embeddings.length !== input.length) {
      throw new KbError('ProviderUnavailable', `Ollama at ${this.url} returned ${embeddings.length} vectors for ${input.length} texts`);
    }
    const want = expected ?? embeddings[0]?.length ?? 0;
    for (const v of embeddings) {
      if (v.length !== want) {
        throw new KbError(
          'DimensionMismatch',
          `Ollama's ${this.model} returned a ${v.length}-dimensional vector where ${want} dimensions were expected` +
            (expected === undefined ? ' (its vectors differ in length)' : ' (did the model change on the server? re-index after changing it)'),
        );
      }
    }
    return embeddings.map(l2Normalised);
  }

  private withPrefix(task: keyof TaskPrefixes, text: string): string {
    return this.prefixes ? this.prefixes[task] + text : text;
  }

  /** Asks the server now (version and pulled models) without loading the model into memory. */
  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    const health = (available: boolean, message: string): ProviderHealth => ({
      provider: 'ollama',
      available,
      latencyMs: performance.now() - start,
      message,
    });
    try {
      const [version, tags] = await Promise.all([this.client.version(), this.client.tags()]);
      if (!tags.models.some((m) => sameModel(m.name, this.model) || (m.model !== undefined && sameModel(m.model, this.model)))) {
        return health(false, `Ollama ${version} is running at ${this.url}, but ${this.model} is not installed: run \`ollama pull ${this.model}\``);
      }
      return health(true, `Ollama ${version} at ${this.url}: ${this.model}`);
    } catch (err) {
      return health(false, (err as Error).message);
    }
  }

  status(): EmbeddingStatus {
    return {
      modelId: this.modelId,
      dimensions: this.dimensions,
      source: this.url,
      ready: this.loaded,
      message: this.lastError?.message,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client.abortAll();
  }
}

function shutDown(): KbError {
  return new KbError('Cancelled', 'The embedding service has shut down');
}

/**
 * The tokens Ollama will embed per text: the model's trained context (`<arch>.context_length`),
 * capped by a `num_ctx` parameter where the model sets one (Ollama uses the smaller). For
 * nomic-embed-text that is 2048, not the 8192 of Nomic's own runtime.
 */
export function contextLength(show: ShowResponse | undefined): number | undefined {
  const info = show?.model_info ?? {};
  const arch = info['general.architecture'];
  const trained = typeof arch === 'string' ? positive(info[`${arch}.context_length`]) : undefined;
  const numCtx = positive(/(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show?.parameters ?? '')?.[1]);
  if (trained && numCtx) return Math.min(trained, numCtx);
  return trained ?? numCtx;
}

function positive(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Builds the provider for an `ollama/<name>` model id from the embedding settings. */
export function ollamaEmbedder(modelId: string, settings: Settings['embedding']): OllamaEmbedder {
  const info = findModel(modelId);
  return new OllamaEmbedder({
    modelId,
    url: settings.ollamaUrl,
    timeoutMs: settings.timeoutMs,
    // An unlisted model's dimension is unknown (0) until `ready()` asks the server.
    expectedDimensions: info?.dimensions ?? 0,
    maxTokens: info?.maxTokens ?? 512,
  });
}
