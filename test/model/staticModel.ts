import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';

/**
 * Loading the bundled word-vector models (resources/models) through Transformers.js as the app
 * does, and what their tests measure with them.
 */
export const MODELS_DIR = fileURLToPath(new URL('../../resources/models', import.meta.url));
export const DIMS = 100;

export async function loadBundledModel(modelId: string): Promise<FeatureExtractionPipeline> {
  env.localModelPath = MODELS_DIR;
  env.allowRemoteModels = false;
  return pipeline('feature-extraction', modelId, { local_files_only: true });
}

/** Sentence embeddings as the app asks for them: mean-pooled, normalised. */
export async function embedWith(extractor: FeatureExtractionPipeline, texts: string[]): Promise<number[][]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  expect(output.dims).toEqual([texts.length, DIMS]);
  return output.tolist() as number[][];
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

export const norm = (v: number[]) => Math.hypot(...v);

/** Cosine similarity of `query` with each of `others`. */
export async function similaritiesWith(extractor: FeatureExtractionPipeline, query: string, others: string[]): Promise<number[]> {
  const [q, ...rest] = await embedWith(extractor, [query, ...others]);
  return rest.map((v) => cosine(q!, v));
}

/** Three paragraphs on unrelated topics: a question about plants must find the first. */
export const PARAGRAPHS = {
  photosynthesis:
    'Photosynthesis is the process by which green plants and algae use light from the sun to convert ' +
    'carbon dioxide and water into glucose and oxygen. The chlorophyll in leaves absorbs the light energy.',
  tax:
    'Tax law governs how governments assess and collect income taxes, including deductions, credits and ' +
    'penalties for late filing of returns.',
  football: 'The football team scored two goals in the second half and won the championship match in front of a sold-out stadium.',
};
