/**
 * The upper bound for our embedding path: onnxruntime-node (the copy @huggingface/transformers
 * runs on) executing the same model on already-tokenised, already-padded batches. No
 * tokenisation, no pooling, no worker messages: only `session.run`.
 */
import * as ort from 'onnxruntime-node';

export interface TokenizedBatch {
  feeds: Record<string, ort.Tensor>;
  size: number;
  /** Real tokens and padded positions (batch × longest) in this batch. */
  realTokens: number;
  positions: number;
}

interface TokenizerTensor {
  data: BigInt64Array;
  dims: number[];
}
type Tokenize = (texts: string[], opts: { padding: boolean; truncation: boolean }) => Record<string, TokenizerTensor>;

/** Tokenises `texts` in consecutive batches of `batchSize`, padded to each batch's longest text, as the pipeline does. */
export function tokenizeBatches(tokenize: Tokenize, texts: string[], batchSize: number): TokenizedBatch[] {
  const batches: TokenizedBatch[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const slice = texts.slice(i, i + batchSize);
    const encoded = tokenize(slice, { padding: true, truncation: true });
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
      const t = encoded[name];
      if (!t) throw new Error(`The tokenizer returned no ${name}`);
      feeds[name] = new ort.Tensor('int64', t.data, t.dims);
    }
    const mask = encoded.attention_mask?.data ?? new BigInt64Array();
    let real = 0;
    for (const v of mask) real += Number(v);
    batches.push({ feeds, size: slice.length, realTokens: real, positions: mask.length });
  }
  return batches;
}

export async function openRawSession(onnxPath: string): Promise<ort.InferenceSession> {
  // Transformers.js passes no tuning options on Node either: the same defaults on both sides.
  return ort.InferenceSession.create(onnxPath);
}

/** Runs every batch once. */
export async function rawRun(session: ort.InferenceSession, batches: TokenizedBatch[]): Promise<void> {
  for (const b of batches) {
    const out = await session.run(b.feeds);
    for (const t of Object.values(out)) t.dispose();
  }
}
