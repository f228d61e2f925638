import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { KbError } from '../api/errors';
import type { WorkerInit } from './protocol';

export interface LoadedModel {
  dimensions: number;
  maxTokens: number;
  /** Embeds a batch in one forward pass: mean pooling + L2 normalisation, as sentence-transformers does. */
  embed(texts: string[]): Promise<{ dimensions: number; data: Float32Array }>;
  /** Tokens per text as the model sees them, special tokens included, without truncation. */
  countTokens(texts: string[]): number[];
  /** Releases the ONNX sessions (the worker exits next). */
  dispose(): Promise<void>;
}

/**
 * Loads a Transformers.js feature-extraction model from a local folder. Downloads (when the user
 * allows them) happen before, in core/embeddings/download, with resume and checksums.
 */
export async function loadTransformersModel(init: WorkerInit): Promise<LoadedModel> {
  env.localModelPath = init.localModelPath;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', init.modelId, { local_files_only: true, dtype: 'fp32' });
  } catch (err) {
    throw new KbError('ModelUnavailable', `Could not load the embedding model ${init.modelId}: ${(err as Error).message}`);
  }
  const config = extractor.model.config as unknown as { hidden_size?: number; max_position_embeddings?: number };
  const tokenizerMax = (extractor.tokenizer as unknown as { model_max_length?: number }).model_max_length;
  const maxTokens = Math.min(tokenizerMax ?? 512, config.max_position_embeddings ?? 512);
  const embed = async (texts: string[]) => {
    // The tokenizer truncates at the model's limit; chunking keeps chunks under it.
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    const dims = out.dims[out.dims.length - 1] as number;
    return { dimensions: dims, data: out.data as Float32Array };
  };
  const probe = await embed(['qckstrt']);
  const countTokens = (texts: string[]) => texts.map((t) => extractor.tokenizer.encode(t).length);
  return { dimensions: probe.dimensions, maxTokens, embed, countTokens, dispose: () => extractor.dispose() };
}
