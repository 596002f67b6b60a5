import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';

// onnx-proto is protobufjs-generated from onnx.proto (IR 8). protobufjs finds `long` with a bare require;
// where 'long' resolves to its ESM build (bundlers, vitest's "import" condition) it gets a namespace object
// and the generated defaults crash at load, so the real class is put in place before onnx-proto loads.
const require = createRequire(import.meta.url);
const minimal = require(
  require.resolve('protobufjs/minimal', { paths: [require.resolve('onnx-proto')] }),
) as {
  util: { Long?: { fromBits?: unknown; default?: unknown } };
  configure(): void;
};
const long = minimal.util.Long;
if (long && typeof long.fromBits !== 'function') {
  minimal.util.Long = long.default as typeof long;
  minimal.configure();
}
export const { onnx } = require('onnx-proto') as typeof onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const DataType = onnx.TensorProto.DataType;
export type ElemType = 'float32' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool';

export const ELEM: Readonly<Record<ElemType, number>> = {
  float32: DataType.FLOAT,
  int32: DataType.INT32,
  int64: DataType.INT64,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
  bool: DataType.BOOL,
};

export type AttrValue = number | string | readonly number[] | { int: number } | { float: number };

/** Attributes from plain values: integers become INT(S), other numbers FLOAT, strings STRING. */
export function attribute(name: string, value: AttrValue): AttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: A.INTS, ints: [...value] };
  if (typeof value === 'object' && 'int' in value) return { name, type: A.INT, i: value.int };
  if (typeof value === 'object' && 'float' in value) return { name, type: A.FLOAT, f: value.float };
  const n = value as number;
  return Number.isInteger(n) ? { name, type: A.INT, i: n } : { name, type: A.FLOAT, f: n };
}

export type RawArray = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A TensorProto whose raw_data views `values` (no copy until the model is encoded). */
export function tensorProto(
  name: string,
  elem: ElemType,
  dims: readonly number[],
  values: RawArray,
): TensorProto {
  return {
    name,
    dataType: ELEM[elem],
    dims: [...dims],
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/** A value_info with a tensor type; string dims become symbolic (dim_param), undefined ones unnamed. */
export function valueInfo(
  name: string,
  elem: ElemType,
  dims: readonly (number | string | undefined)[],
): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[elem],
        shape: {
          dim: dims.map((d) =>
            typeof d === 'string' ? { dimParam: d } : d === undefined ? {} : { dimValue: d },
          ),
        },
      },
    },
  };
}

/** An int64 field as a number (protobufjs gives a Long for decoded models, a number for built ones). */
export function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
