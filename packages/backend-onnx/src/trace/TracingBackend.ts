import {
  BackendError,
  type DataId,
  type DType,
  type KernelBackend,
  type KernelMap,
  type KernelName,
  type TensorInfo,
  type TypedArray,
} from '@distilbert/core';
import { OnnxExportError } from '../errors.js';
import type { GraphBuilder, Val } from '../graph/GraphBuilder.js';
import { LOWERINGS, type LowerContext } from '../graph/lower/index.js';

type Entry =
  | { kind: 'constant'; values: TypedArray; shape: readonly number[]; dtype: DType; val?: Val }
  | { kind: 'value'; val: Val };

/** Turns the next `write` (an input core uploads) into a graph value instead of a constant. */
export type InputHook = (values: TypedArray, shape: readonly number[]) => Val;

/**
 * A backend that computes nothing: every kernel call appends its ONNX lowering to a graph. Weights written
 * to it become initializers when first used; the model's inputs are claimed by `expectInputs`. Views
 * (core's reshapes share a buffer) become Reshape nodes.
 */
export class TracingBackend implements KernelBackend {
  readonly name = 'onnx-trace';
  readonly kernels: KernelMap;
  readonly #data = new Map<DataId, Entry>();
  readonly #names = new Map<DataId, string>();
  readonly #views = new Map<string, Val>();
  #hooks: InputHook[] = [];
  #ctx: LowerContext;
  #disposed = false;

  constructor(
    readonly graph: GraphBuilder,
    gelu: 'erf' | 'contrib' = 'erf',
  ) {
    this.#ctx = {
      g: graph,
      gelu,
      constantOf: (v) => {
        for (const e of this.#data.values()) {
          if (e.kind === 'constant' && e.val === v && e.values instanceof Float32Array) return e.values;
        }
        return undefined;
      },
    };
    const kernels: Partial<Record<KernelName, unknown>> = {};
    for (const name of Object.keys(LOWERINGS) as KernelName[]) {
      kernels[name] = (inputs: Record<string, TensorInfo | undefined>, attrs: never) =>
        this.#trace(name, inputs, attrs);
    }
    this.kernels = kernels as KernelMap;
  }

  /** The next writes (core uploading input_ids, attention_mask, position ids…) become these graph values. */
  expectInputs(hooks: InputHook[]): void {
    this.#hooks = [...hooks];
  }

  /** Initializer names for weights (HF state-dict names make the graph readable). */
  nameWeight(dataId: DataId, name: string): void {
    if (!this.#names.has(dataId)) this.#names.set(dataId, name);
  }

  /** The graph value a tensor (or a view of it) stands for. */
  resolve(t: TensorInfo): Val {
    const e = this.#entry(t.dataId);
    let v: Val;
    if (e.kind === 'value') v = e.val;
    else {
      if (!e.val) {
        const name = this.#names.get(t.dataId) ?? 'const';
        const elem = e.dtype;
        const initName = this.graph.initializer(name, elem, e.shape, e.values);
        e.val = { name: initName, elem, shape: e.shape };
      }
      v = e.val;
    }
    if (sameShape(v.shape, t.shape)) return v;
    const key = `${v.name}:${t.shape.join(',')}`;
    let view = this.#views.get(key);
    if (!view) {
      const g = this.graph;
      view = { name: g.op('Reshape', [v.name, g.shapeTensor(t.shape)]), elem: v.elem, shape: t.shape };
      g.annotate(view);
      this.#views.set(key, view);
    }
    return view;
  }

  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId {
    this.#live();
    const id = {};
    const hook = this.#hooks.shift();
    this.#data.set(
      id,
      hook ? { kind: 'value', val: hook(values, shape) } : { kind: 'constant', values, shape, dtype },
    );
    return id;
  }

  async read(): Promise<TypedArray> {
    throw new OnnxExportError('A traced tensor has no values: the tracing backend only records the graph.');
  }

  disposeData(dataId: DataId): void {
    this.#data.delete(dataId);
  }

  memory() {
    let numBytes = 0;
    for (const e of this.#data.values()) if (e.kind === 'constant') numBytes += e.values.byteLength;
    return { numDataIds: this.#data.size, numBytes };
  }

  dispose(): void {
    this.#data.clear();
    this.#disposed = true;
  }

  #trace(name: KernelName, inputs: Record<string, TensorInfo | undefined>, attrs: never): TensorInfo {
    this.#live();
    const vals: Record<string, Val> = {};
    for (const [k, t] of Object.entries(inputs)) if (t) vals[k] = this.resolve(t);
    const out = LOWERINGS[name](this.#ctx, vals, attrs);
    if (!Object.values(vals).includes(out)) this.graph.annotate(out);
    const id = {};
    this.#data.set(id, { kind: 'value', val: out });
    return { dataId: id, shape: out.shape, dtype: out.elem === 'float32' ? 'float32' : 'int32' };
  }

  #entry(id: DataId): Entry {
    const e = this.#data.get(id);
    if (!e) throw new BackendError('The tracing backend has no buffer for this tensor (disposed?).');
    return e;
  }

  #live(): void {
    if (this.#disposed) throw new BackendError('The tracing backend was disposed.');
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
