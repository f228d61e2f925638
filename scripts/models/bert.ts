/**
 * A BERT encoder as an ONNX graph with random weights, in the layout Transformers.js's
 * `feature-extraction` pipeline loads as a `bert` model:
 *
 *     inputs   input_ids, attention_mask, token_type_ids   int64 [batch, seq]
 *     output   last_hidden_state                           float32 [batch, seq, hidden]
 *
 * embeddings = LayerNorm(word[input_ids] + position[0..seq) + type[token_type_ids])
 * each layer:  x = LayerNorm(x + Wo·MultiHeadSelfAttention(x, mask))
 *              x = LayerNorm(x + W2·GELU(W1·x))
 *
 * Standard opset-17 ops only: Gather, Shape, Range, MatMul, Add, Mul, Div, Sub, Erf, Reshape,
 * Transpose, Softmax, Cast, Unsqueeze, LayerNormalization. The attention mask is turned into an
 * additive bias (0 for real tokens, float32's lowest value for padding) as Hugging Face's
 * exports do, so padded positions get exactly zero attention and a padded batch gives the
 * same per-text output as single calls (up to float summation order).
 */
import { DataType, GraphBuilder, attr, onnx, tensorType } from './onnxGraph';
import { hashSeed, randomFloats } from './random';

export interface BertShape {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

const FLOAT32_LOWEST = -3.4028234663852886e38;

/**
 * Builds the model and returns the serialised ModelProto. Weights are uniform with the standard
 * deviation 1/√fan_in (embeddings: 1), so activations keep unit scale through the layers, the
 * attention is far from uniform and GELU works in its non-linear range: the numbers a real model
 * produces, if not their meaning.
 */
export function buildBertOnnx(shape: BertShape, opts: { seed: string; name: string; docString: string }): Uint8Array {
  const { hiddenSize: H, numHeads, intermediateSize: F } = shape;
  if (H % numHeads !== 0) throw new Error(`hidden size ${H} is not a multiple of ${numHeads} heads`);
  const headSize = H / numHeads;
  const g = new GraphBuilder();
  const rand = (name: string, dims: number[], std: number, mean = 0) =>
    g.float(name, dims, randomFloats(hashSeed(`${opts.seed}/${name}`), dims.reduce((a, b) => a * b, 1), std, mean));
  const linear = (x: string, prefix: string, inSize: number, outSize: number) => {
    const w = rand(`${prefix}.weight`, [inSize, outSize], 1 / Math.sqrt(inSize));
    const b = rand(`${prefix}.bias`, [outSize], 0.02);
    return g.node('Add', [g.node('MatMul', [x, w]), b]);
  };
  const layerNorm = (x: string, prefix: string) =>
    g.node('LayerNormalization', [x, rand(`${prefix}.gamma`, [H], 0.05, 1), rand(`${prefix}.beta`, [H], 0.02)], [
      attr.int('axis', -1),
      attr.float('epsilon', shape.layerNormEps),
    ]);

  // Shared constants.
  const zero = g.int64('const_zero', [], [0]);
  const one = g.int64('const_one', [], [1]);
  const unsqueezeAxes = g.int64('mask_unsqueeze_axes', [2], [1, 2]);
  const headsShape = g.int64('split_heads_shape', [4], [0, 0, numHeads, headSize]);
  const mergedShape = g.int64('merge_heads_shape', [3], [0, 0, H]);
  const scale = g.scalar('attention_scale', 1 / Math.sqrt(headSize));
  const oneF = g.scalar('const_one_f', 1);
  const lowest = g.scalar('mask_lowest', FLOAT32_LOWEST);
  const sqrt2 = g.scalar('const_sqrt2', Math.SQRT2);
  const half = g.scalar('const_half', 0.5);

  // Embeddings.
  const seqLen = g.node('Gather', [g.node('Shape', ['input_ids']), one], [attr.int('axis', 0)], 'seq_len');
  const positions = g.node('Range', [zero, seqLen, one], [], 'position_ids');
  const word = g.node('Gather', [rand('embeddings.word', [shape.vocabSize, H], 1), 'input_ids'], [attr.int('axis', 0)]);
  const pos = g.node('Gather', [rand('embeddings.position', [shape.maxPositions, H], 1), positions], [attr.int('axis', 0)]);
  const type = g.node('Gather', [rand('embeddings.token_type', [shape.typeVocabSize, H], 1), 'token_type_ids'], [
    attr.int('axis', 0),
  ]);
  let x = layerNorm(g.node('Add', [g.node('Add', [word, pos]), type]), 'embeddings.layer_norm');

  // Attention bias [batch, 1, 1, seq]: 0 where attention_mask is 1, float32's lowest where it is 0.
  const maskF = g.node('Cast', [g.node('Unsqueeze', ['attention_mask', unsqueezeAxes])], [attr.int('to', DataType.FLOAT)]);
  const maskBias = g.node('Mul', [g.node('Sub', [oneF, maskF]), lowest], [], 'attention_bias');

  for (let l = 0; l < shape.numLayers; l++) {
    const p = `layer.${l}`;
    const heads = (t: string, perm: number[]) => g.node('Transpose', [g.node('Reshape', [t, headsShape])], [attr.ints('perm', perm)]);
    const q = heads(g.node('Mul', [linear(x, `${p}.attention.query`, H, H), scale]), [0, 2, 1, 3]); // [b, h, s, d]
    const kT = heads(linear(x, `${p}.attention.key`, H, H), [0, 2, 3, 1]); // [b, h, d, s]
    const v = heads(linear(x, `${p}.attention.value`, H, H), [0, 2, 1, 3]); // [b, h, s, d]
    const scores = g.node('Add', [g.node('MatMul', [q, kT]), maskBias]); // [b, h, s, s]
    const probs = g.node('Softmax', [scores], [attr.int('axis', -1)]);
    const context = g.node('Transpose', [g.node('MatMul', [probs, v])], [attr.ints('perm', [0, 2, 1, 3])]); // [b, s, h, d]
    const merged = g.node('Reshape', [context, mergedShape]);
    x = layerNorm(g.node('Add', [linear(merged, `${p}.attention.output`, H, H), x]), `${p}.attention.layer_norm`);

    const up = linear(x, `${p}.intermediate`, H, F);
    // GELU, exact form: 0.5·u·(1 + erf(u/√2)).
    const gelu = g.node('Mul', [g.node('Mul', [up, g.node('Add', [g.node('Erf', [g.node('Div', [up, sqrt2])]), oneF])]), half]);
    const down = linear(gelu, `${p}.output`, F, H);
    x = layerNorm(g.node('Add', [down, x]), `${p}.output.layer_norm`);
  }
  g.node('Identity', [x], [], 'last_hidden_state');

  const intInput = (name: string) => ({ name, type: tensorType(DataType.INT64, ['batch_size', 'sequence_length']) });
  const graph = onnx.GraphProto.create({
    name: opts.name,
    docString: opts.docString,
    node: g.nodes,
    initializer: g.initializers,
    input: [intInput('input_ids'), intInput('attention_mask'), intInput('token_type_ids')],
    output: [{ name: 'last_hidden_state', type: tensorType(DataType.FLOAT, ['batch_size', 'sequence_length', H]) }],
  });
  const model = onnx.ModelProto.create({
    // IR 8 / opset 17: LayerNormalization is a standard op from opset 17, and onnxruntime-node
    // 1.14 (under @xenova/transformers 2.17) reads IR versions up to 8.
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'qckstrt scripts/build-test-models.ts',
    producerVersion: '1',
    modelVersion: 1,
    docString: opts.docString,
    graph,
  });
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`Invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}
