import type { DataId, KernelBackend, TensorInfo } from '../backend/KernelBackend.js';
import { BackendError, DisposedTensorError } from '../errors.js';
import { type DType, sizeOf, type TypedArray } from './dtype.js';

let nextId = 0;

/** Hooks the engine installs so Tensor stays free of engine imports. */
export interface TensorTracker {
  onCreate(t: Tensor): void;
  onDispose(t: Tensor): void;
}

let tracker: TensorTracker | undefined;
export function setTensorTracker(t: TensorTracker): void {
  tracker = t;
}

/**
 * An n-dimensional array living on one backend. Several tensors may view one buffer (reshape); the buffer
 * is freed when the last of them is disposed.
 */
export class Tensor implements TensorInfo {
  readonly id = nextId++;
  readonly size: number;
  #disposed = false;

  constructor(
    readonly backend: KernelBackend,
    readonly dataId: DataId,
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {
    this.size = sizeOf(shape);
    tracker?.onCreate(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Reads the values back (a copy the caller owns). */
  async data(): Promise<TypedArray> {
    this.assertLive();
    return this.backend.read(this.dataId);
  }

  /** Synchronous read, only on backends whose memory is host memory (throws elsewhere). */
  dataSync(): TypedArray {
    this.assertLive();
    if (!this.backend.readSync) {
      throw new BackendError(
        `Backend '${this.backend.name}' cannot read synchronously: use await tensor.data().`,
      );
    }
    return this.backend.readSync(this.dataId);
  }

  /** Nested arrays, as Python's `.tolist()`. */
  async array(): Promise<unknown> {
    return toNested(await this.data(), this.shape);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    tracker?.onDispose(this);
  }

  assertLive(): void {
    if (this.#disposed) throw new DisposedTensorError(`Tensor#${this.id} [${this.shape.join(', ')}]`);
  }

  toString(): string {
    return `Tensor#${this.id}(${this.dtype} [${this.shape.join(', ')}] on ${this.backend.name})`;
  }
}

export function toNested(values: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const build = (offset: number, axis: number): unknown[] => {
    const n = shape[axis];
    if (axis === shape.length - 1) return Array.from({ length: n }, (_, i) => values[offset + i]);
    const stride = sizeOf(shape.slice(axis + 1));
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return build(0, 0);
}
