import type { DataId, KernelBackend, TensorInfo } from '../backend/KernelBackend.js';
import type { KernelName, KernelSpecs } from '../backend/kernels.js';
import { MissingKernelError, ShapeError } from '../errors.js';
import { BYTES_PER_ELEMENT, type DType, dtypeOf, sizeOf, type TypedArray } from '../tensor/dtype.js';
import { setTensorTracker, Tensor } from '../tensor/Tensor.js';

/** One kernel call, as seen by observers (a gradient tape later; the ONNX tracer now). */
export interface KernelCall {
  kernelName: KernelName;
  inputs: Readonly<Record<string, Tensor>>;
  attrs: Readonly<Record<string, unknown>>;
  output: Tensor;
}
export type KernelObserver = (call: KernelCall) => void;

export interface MemoryInfo {
  /** Live tensors (views included) across every backend. */
  numTensors: number;
  /** Distinct live buffers behind them. */
  numDataBuffers: number;
  /** Bytes of those buffers. */
  numBytes: number;
}

type Scope = Set<Tensor>;

interface AsyncLocal<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

// AsyncLocalStorage keeps `scope()` correct across `await` where the runtime has it (Node, Deno, Bun);
// elsewhere a plain stack is used, which is exact for `tidy` and for scopes that do not interleave.
function makeAsyncLocal(): AsyncLocal<Scope[]> | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.('node:async_hooks') as
    | { AsyncLocalStorage: new () => AsyncLocal<Scope[]> }
    | undefined;
  return hooks ? new hooks.AsyncLocalStorage() : undefined;
}

/** Tensor bookkeeping and kernel dispatch. One per process; backends are per tensor. */
export class Engine {
  readonly #refCounts = new Map<DataId, { backend: KernelBackend; count: number; bytes: number }>();
  #numTensors = 0;
  #numBytes = 0;
  readonly #stack: Scope[] = [];
  readonly #asyncLocal = makeAsyncLocal();
  readonly #observers = new Set<KernelObserver>();

  constructor() {
    setTensorTracker({
      onCreate: (t) => this.#track(t),
      onDispose: (t) => this.#release(t),
    });
  }

  /** Uploads values to `backend` as a new tensor. */
  makeTensor(backend: KernelBackend, values: TypedArray, shape: readonly number[], dtype?: DType): Tensor {
    const dt = dtype ?? dtypeOf(values);
    if (values.length !== sizeOf(shape)) {
      throw new ShapeError(`${values.length} values cannot fill shape [${shape.join(', ')}].`);
    }
    if (dtypeOf(values) !== dt)
      throw new ShapeError(`A ${values.constructor.name} cannot hold ${dt} values.`);
    return new Tensor(backend, backend.write(values, shape, dt), [...shape], dt);
  }

  /**
   * A new tensor filled in place by `fill`, in memory the backend hands out
   * (`KernelBackend.allocateForWrite`), so loading reads each weight straight into the backend with no
   * temporary array. Counted like a written tensor. Undefined when the backend has no `allocateForWrite`:
   * the caller then uses `makeTensor`.
   */
  makeTensorInPlace<D extends DType>(
    backend: KernelBackend,
    shape: readonly number[],
    dtype: D,
    fill: (values: D extends 'int32' ? Int32Array : Float32Array) => void,
  ): Tensor | undefined {
    if (!backend.allocateForWrite) return undefined;
    const { dataId, values } = backend.allocateForWrite(shape, dtype);
    if (values.length !== sizeOf(shape) || dtypeOf(values) !== dtype) {
      backend.disposeData(dataId);
      throw new ShapeError(
        `${backend.name}: allocateForWrite gave ${values.length} ${dtypeOf(values)} values for a ${dtype} tensor of shape [${shape.join(', ')}].`,
      );
    }
    try {
      fill(values as Parameters<typeof fill>[0]);
    } catch (e) {
      backend.disposeData(dataId);
      throw e;
    }
    return new Tensor(backend, dataId, [...shape], dtype);
  }

  /** A tensor viewing the same buffer with another shape (no copy). */
  reshape(x: Tensor, shape: readonly number[]): Tensor {
    x.assertLive();
    const resolved = resolveShape(shape, x.size);
    return new Tensor(x.backend, x.dataId, resolved, x.dtype);
  }

  hasKernel(backend: KernelBackend, name: KernelName): boolean {
    return typeof backend.kernels[name] === 'function';
  }

  /** Runs one kernel on the backend of its first input. */
  runKernel<K extends KernelName>(
    name: K,
    inputs: { [P in keyof KernelSpecs[K]['inputs']]: Tensor },
    attrs: KernelSpecs[K]['attrs'],
  ): Tensor {
    const tensors = Object.values(inputs).filter((t): t is Tensor => t !== undefined) as Tensor[];
    const backend = tensors[0].backend;
    for (const t of tensors) {
      t.assertLive();
      if (t.backend !== backend) {
        throw new ShapeError(
          `${name}: inputs live on different backends ('${backend.name}' and '${t.backend.name}'). Move them first.`,
        );
      }
    }
    const kernel = backend.kernels[name] as ((i: unknown, a: unknown) => TensorInfo) | undefined;
    if (!kernel) throw new MissingKernelError(name, backend.name);
    const info = kernel(inputs, attrs);
    const output = new Tensor(backend, info.dataId, info.shape, info.dtype);
    if (this.#observers.size > 0) {
      const call: KernelCall = { kernelName: name, inputs: inputs as Record<string, Tensor>, attrs, output };
      for (const o of this.#observers) o(call);
    }
    return output;
  }

  /** Observes every kernel call until the returned function is called. */
  observeKernels(observer: KernelObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /**
   * Runs `fn` and disposes every tensor it created, except those it returns (a tensor, or tensors inside
   * an array or a plain object) and those passed to `keep`.
   */
  tidy<T>(fn: () => T): T {
    const scope: Scope = new Set();
    const stack = this.#currentStack();
    stack.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // A kernel that throws half-way must not leak what the scope made before it.
      stack.pop();
      this.#closeScope(scope, undefined);
      throw error;
    }
    stack.pop();
    if (result instanceof Promise) {
      throw new ShapeError('tidy() takes a synchronous function; use scope() for async work.');
    }
    this.#closeScope(scope, result);
    return result;
  }

  /** `tidy` for async functions: tensors created across `await` inside `fn` are released when it settles. */
  async scope<T>(fn: () => Promise<T>): Promise<T> {
    const scope: Scope = new Set();
    const run = async () => {
      let result: T | undefined;
      try {
        result = await fn();
        return result;
      } finally {
        this.#closeScope(scope, result);
      }
    };
    if (this.#asyncLocal)
      return this.#asyncLocal.run([...(this.#asyncLocal.getStore() ?? this.#stack), scope], run);
    this.#stack.push(scope);
    try {
      return await run();
    } finally {
      const i = this.#stack.lastIndexOf(scope);
      if (i >= 0) this.#stack.splice(i, 1);
    }
  }

  /** Exempts a tensor from the scopes it was created in. */
  keep<T extends Tensor>(t: T): T {
    for (const s of this.#currentStack()) s.delete(t);
    return t;
  }

  memory(): MemoryInfo {
    return { numTensors: this.#numTensors, numDataBuffers: this.#refCounts.size, numBytes: this.#numBytes };
  }

  #currentStack(): Scope[] {
    return this.#asyncLocal?.getStore() ?? this.#stack;
  }

  #track(t: Tensor): void {
    this.#numTensors++;
    const entry = this.#refCounts.get(t.dataId);
    if (entry) entry.count++;
    else {
      const bytes = t.size * BYTES_PER_ELEMENT[t.dtype];
      this.#refCounts.set(t.dataId, { backend: t.backend, count: 1, bytes });
      this.#numBytes += bytes;
    }
    const stack = this.#currentStack();
    if (stack.length > 0) stack[stack.length - 1].add(t);
  }

  #release(t: Tensor): void {
    this.#numTensors--;
    const entry = this.#refCounts.get(t.dataId);
    if (!entry) return;
    if (--entry.count === 0) {
      this.#refCounts.delete(t.dataId);
      this.#numBytes -= entry.bytes;
      entry.backend.disposeData(t.dataId);
    }
  }

  #closeScope(scope: Scope, result: unknown): void {
    const kept = new Set<Tensor>();
    collectTensors(result, kept);
    const outer = this.#currentStack();
    for (const t of scope) {
      if (kept.has(t)) {
        // A returned tensor belongs to the enclosing scope from now on.
        if (outer.length > 0) outer[outer.length - 1].add(t);
      } else t.dispose();
    }
  }
}

function collectTensors(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, into, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    for (const v of value instanceof Map ? value.values() : Object.values(value))
      collectTensors(v, into, depth + 1);
  }
}

function resolveShape(shape: readonly number[], size: number): number[] {
  const out = [...shape];
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    const rest = sizeOf(out.filter((_, i) => i !== inferred));
    out[inferred] = rest === 0 ? 0 : size / rest;
  }
  if (sizeOf(out) !== size || !out.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`Cannot reshape ${size} elements to [${shape.join(', ')}].`);
  }
  return out;
}

/** The process-wide engine. */
export const engine = new Engine();
export const tidy = <T>(fn: () => T): T => engine.tidy(fn);
export const scope = <T>(fn: () => Promise<T>): Promise<T> => engine.scope(fn);
export const keep = <T extends Tensor>(t: T): T => engine.keep(t);
export const memory = (): MemoryInfo => engine.memory();
