import { OnnxExportError } from '../errors.js';
import { type DimExpr, type DimSymbol, decompose, dimParam, isStatic } from './dims.js';
import {
  type AttrValue,
  attribute,
  type ElemType,
  type ModelProto,
  type NodeProto,
  onnx,
  type RawArray,
  type TensorProto,
  tensorProto,
  type ValueInfoProto,
  valueInfo,
} from './proto.js';

/** A value in the graph: its name, element type and (traced or concrete) shape. */
export interface Val {
  readonly name: string;
  readonly elem: ElemType;
  readonly shape: readonly number[];
}

export interface GraphOptions {
  /** Dynamic axes (trace mode). Empty: every size is a constant (single-kernel graphs). */
  symbols?: readonly DimSymbol[];
  /** Opset of the default domain (default 17). */
  opset?: number;
}

/**
 * Collects nodes, initializers, inputs and outputs, and turns traced sizes into shape tensors: a size
 * that factors over a dynamic axis is computed from the input's Shape at run time, never baked in.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  /** Shapes of intermediate values, so onnxruntime's fusions see equal symbolic dims (SkipLayerNormalization). */
  readonly valueInfo: ValueInfoProto[] = [];
  readonly symbols: readonly DimSymbol[];
  readonly opset: number;
  readonly domains = new Set<string>();
  /** Where each dynamic axis can be read at run time: an input name and axis. */
  readonly #axisSources = new Map<number, { input: string; axis: number }>();
  readonly #cache = new Map<string, string>();
  readonly #names = new Set<string>();
  #counter = 0;

  constructor(options: GraphOptions = {}) {
    this.symbols = options.symbols ?? [];
    this.opset = options.opset ?? 17;
  }

  /** A unique value name. */
  fresh(prefix: string): string {
    let name = prefix;
    while (this.#names.has(name)) name = `${prefix}_${++this.#counter}`;
    this.#names.add(name);
    return name;
  }

  /** Memoises a sub-graph by key (constants, masks, shape tensors are built once). */
  cached(key: string, build: () => string): string {
    let name = this.#cache.get(key);
    if (name === undefined) {
      name = build();
      this.#cache.set(key, name);
    }
    return name;
  }

  /** Adds a node; returns its output names. */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    options: { outputs?: number; domain?: string; name?: string } = {},
  ): string[] {
    const outputs = Array.from({ length: options.outputs ?? 1 }, () => this.fresh(`/${opType}_out`));
    if (options.domain) this.domains.add(options.domain);
    this.nodes.push({
      name: this.fresh(options.name ?? `/${opType}`),
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** Single-output node. */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    domain?: string,
  ): string {
    return this.node(opType, inputs, attrs, { domain })[0];
  }

  input(name: string, elem: ElemType, shape: readonly number[]): Val {
    this.#names.add(name);
    this.inputs.push(valueInfo(name, elem, this.#dimParams(shape)));
    shape.forEach((size, axis) => {
      const p = dimParam(this.dim(size), this.symbols);
      const i = this.symbols.findIndex((s) => s.name === p);
      if (i >= 0 && !this.#axisSources.has(i)) this.#axisSources.set(i, { input: name, axis });
    });
    return { name, elem, shape };
  }

  /** Marks `value` as a graph output called `name` (through an Identity, so one value can feed several outputs). */
  output(name: string, value: Val): void {
    this.#names.add(name);
    this.nodes.push({
      name: this.fresh(`/output/${name}`),
      opType: 'Identity',
      input: [value.name],
      output: [name],
    });
    this.outputs.push(valueInfo(name, value.elem, this.#dimParams(value.shape)));
  }

  initializer(name: string, elem: ElemType, dims: readonly number[], values: RawArray): string {
    const unique = this.fresh(name);
    this.initializers.push(tensorProto(unique, elem, dims, values));
    return unique;
  }

  constInt64(values: readonly number[]): string {
    return this.cached(`i64:${values.join(',')}`, () =>
      this.initializer(
        'const_i64',
        'int64',
        [values.length],
        BigInt64Array.from(values, (v) => BigInt(v)),
      ),
    );
  }

  constScalar(elem: 'float32' | 'int32' | 'int64', value: number): string {
    return this.cached(`${elem}:${value}`, () => {
      const values =
        elem === 'float32'
          ? Float32Array.of(value)
          : elem === 'int32'
            ? Int32Array.of(value)
            : BigInt64Array.of(BigInt(value));
      return this.initializer(`const_${elem}`, elem, [], values);
    });
  }

  dim(size: number): DimExpr {
    return decompose(size, this.symbols);
  }

  /**
   * An int64 shape tensor for a Reshape to the traced `shape`: constants stay literal, a single dynamic
   * size becomes -1, several are computed from the inputs' Shape.
   */
  shapeTensor(shape: readonly number[]): string {
    const exprs = shape.map((s) => this.dim(s));
    const dynamic = exprs.filter((e) => !isStatic(e)).length;
    if (dynamic <= 1) return this.constInt64(exprs.map((e) => (isStatic(e) ? e.coefficient : -1)));
    return this.cached(`shape:${shape.join(',')}`, () =>
      this.op(
        'Concat',
        exprs.map((e) => this.dimTensor(e)),
        { axis: 0 },
      ),
    );
  }

  /** A traced size as an int64 [1] tensor computed at run time. */
  dimTensor(e: DimExpr): string {
    const key = `dim:${e.coefficient}:${e.exponents.join(',')}`;
    return this.cached(key, () => {
      let acc: string | undefined = e.coefficient === 1 ? undefined : this.constInt64([e.coefficient]);
      e.exponents.forEach((n, i) => {
        for (let k = 0; k < n; k++) {
          const axis = this.#axisTensor(i);
          acc = acc === undefined ? axis : this.op('Mul', [acc, axis]);
        }
      });
      return acc ?? this.constInt64([1]);
    });
  }

  #axisTensor(i: number): string {
    return this.cached(`axis:${i}`, () => {
      const source = this.#axisSources.get(i);
      if (!source) throw new OnnxExportError(`No graph input carries the ${this.symbols[i].name} axis.`);
      const shape = this.cached(`shapeof:${source.input}`, () => this.op('Shape', [source.input]));
      return this.op('Slice', [shape, this.constInt64([source.axis]), this.constInt64([source.axis + 1])]);
    });
  }

  /** Records the (symbolic) shape of an intermediate value. */
  annotate(v: Val): void {
    if (this.symbols.length > 0) this.valueInfo.push(valueInfo(v.name, v.elem, this.#dimParams(v.shape)));
  }

  #dimParams(shape: readonly number[]): (number | string | undefined)[] {
    return shape.map((s) => dimParam(this.dim(s), this.symbols));
  }

  toModel(producer = '@distilbert/backend-onnx'): ModelProto {
    // Weights a lowering replaced (a Linear weight stored transposed) are dropped.
    const used = new Set<string>();
    for (const n of this.nodes) for (const i of n.input ?? []) used.add(i);
    const initializer = this.initializers.filter((t) => used.has(t.name ?? ''));
    const produced = new Set<string>();
    for (const n of this.nodes) for (const o of n.output ?? []) produced.add(o);
    for (const o of this.outputs) produced.delete(o.name ?? '');
    const opsetImport = [{ domain: '', version: this.opset }];
    for (const d of this.domains) opsetImport.push({ domain: d, version: 1 });
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: producer,
      opsetImport,
      graph: {
        name: 'distilbert',
        node: this.nodes,
        initializer,
        input: this.inputs,
        output: this.outputs,
        valueInfo: this.valueInfo.filter((v) => produced.has(v.name ?? '')),
      },
    });
  }
}
