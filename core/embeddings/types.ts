import type { EmbeddingStatus, ProviderHealth } from '../api/types';

export interface EmbedOptions {
  /**
   * Aborting rejects the call with a `Cancelled` KbError at once: batches not yet started are
   * dropped; a batch already running finishes and its result is discarded.
   */
  signal?: AbortSignal;
}

/** Turns text into vectors. Storing them is the vector store's job (design practice 4). */
export interface EmbeddingProvider {
  readonly modelId: string;
  /** Known once the model has loaded (`ready()`); the registry's value before that. */
  readonly dimensions: number;
  readonly maxTokens: number;
  /** Loads the model; rejects with `ModelUnavailable` saying how to get it. */
  ready(): Promise<void>;
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * Token counts with the model's own tokenizer, so chunks can be kept within `maxTokens`.
   * Absent where the tokenizer is not local (Ollama: its limit is generous for our chunk sizes).
   */
  countTokens?(texts: string[]): Promise<number[]>;
  status(): EmbeddingStatus;
  /** Whether it can embed now (model loaded / server answering), with why not. */
  isAvailable(): Promise<ProviderHealth>;
  close(): Promise<void>;
}
