import type { DType, KernelName, TypedArray } from '@distilbert/core';
import { type InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { OnnxRuntimeError } from '../errors.js';
import { GraphBuilder, type Val } from '../graph/GraphBuilder.js';
import { LOWERINGS } from '../graph/lower/index.js';
import { onnx } from '../graph/proto.js';
import { createNativeSession, type NativeSession } from './ort.js';

export interface KernelInput {
  values: TypedArray;
  shape: readonly number[];
  dtype: DType;
}

interface Compiled {
  session: NativeSession;
  output: Val;
}

/**
 * Runs one kernel as a one-node ONNX graph (the same lowering the exporter uses), compiled once per kernel,
 * attributes and input shapes. For parity checks and odd calls; whole models go through runModel.
 */
export class KernelSessions {
  readonly #cache = new Map<string, Compiled>();

  constructor(
    readonly options: InferenceSession.SessionOptions,
    readonly gelu: 'erf' | 'contrib',
  ) {}

  run(kernel: KernelName, inputs: Record<string, KernelInput | undefined>, attrs: unknown): KernelInput {
    const present = Object.entries(inputs).filter((e): e is [string, KernelInput] => e[1] !== undefined);
    const key = `${kernel}|${JSON.stringify(attrs)}|${present.map(([k, v]) => `${k}:${v.dtype}[${v.shape}]`).join('|')}`;
    let compiled = this.#cache.get(key);
    if (!compiled) {
      compiled = this.#compile(kernel, present, attrs);
      this.#cache.set(key, compiled);
    }
    const feeds: Record<string, OrtTensor> = {};
    for (const [k, v] of present) feeds[k] = new OrtTensor(v.dtype, v.values, v.shape);
    let result: Record<string, OrtTensor>;
    try {
      result = compiled.session.run(feeds, { y: null }, {});
    } catch (cause) {
      throw new OnnxRuntimeError(`onnxruntime failed running kernel ${kernel}: ${String(cause)}`, { cause });
    }
    const y = result.y;
    return {
      values: y.data as TypedArray,
      shape: y.dims,
      dtype: compiled.output.elem === 'int32' ? 'int32' : 'float32',
    };
  }

  dispose(): void {
    for (const c of this.#cache.values()) c.session.dispose();
    this.#cache.clear();
  }

  #compile(kernel: KernelName, inputs: [string, KernelInput][], attrs: unknown): Compiled {
    const g = new GraphBuilder();
    const vals: Record<string, Val> = {};
    for (const [k, v] of inputs) vals[k] = g.input(k, v.dtype, v.shape);
    const output = LOWERINGS[kernel](
      { g, gelu: this.gelu, constantOf: () => undefined },
      vals,
      attrs as never,
    );
    g.output('y', output);
    const bytes = onnx.ModelProto.encode(g.toModel()).finish();
    try {
      return { session: createNativeSession(bytes, this.options), output };
    } catch (cause) {
      throw new OnnxRuntimeError(`onnxruntime refused the ${kernel} graph: ${String(cause)}`, { cause });
    }
  }
}
