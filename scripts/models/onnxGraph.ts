/**
 * A small builder for ONNX graphs written with `onnx-proto` (the approach of
 * scripts/build-glove-model.ts): named nodes, float32 / int64 initialisers written as
 * little-endian raw data, and typed graph inputs and outputs.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import type { onnx as OnnxTypes } from 'onnx-proto';

const require = createRequire(import.meta.url);
// onnx-proto is a CommonJS protobufjs bundle whose `onnx` namespace Node's ESM loader cannot see
// as a named export, so load it through require.
export const { onnx } = require('onnx-proto') as typeof import('onnx-proto');

type Attribute = OnnxTypes.IAttributeProto;
const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;

export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: AttributeType.INTS, ints }),
  float: (name: string, f: number): Attribute => ({ name, type: AttributeType.FLOAT, f }),
};

function float32Bytes(values: Float32Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return bytes;
}

function int64Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

export function tensorType(elemType: number, dims: (string | number)[]): OnnxTypes.ITypeProto {
  return {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private counter = 0;

  /** A float32 initialiser; returns its name. */
  float(name: string, dims: number[], values: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`${name}: ${values.length} values for shape [${dims.join(', ')}]`);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, rawData: float32Bytes(values) });
    return name;
  }

  /** A float32 scalar (shape []) initialiser. */
  scalar(name: string, value: number): string {
    return this.float(name, [], Float32Array.of(value));
  }

  /** An int64 initialiser; `dims` [] makes a scalar. */
  int64(name: string, dims: number[], values: number[]): string {
    this.initializers.push({ name, dataType: DataType.INT64, dims, rawData: int64Bytes(values) });
    return name;
  }

  /** Adds a node with one output and returns the output's name (`output` or a generated one). */
  node(opType: string, inputs: string[], attributes: Attribute[] = [], output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ name: `${out}_node`, opType, input: inputs, output: [out], attribute: attributes });
    return out;
  }
}

export { DataType };
