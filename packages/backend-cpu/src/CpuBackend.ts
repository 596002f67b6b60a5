import type {
  BackendMemory,
  DataId,
  DType,
  KernelBackend,
  KernelMap,
  TensorInfo,
  TypedArray,
} from '@distilbert/core';
import { BackendError } from '@distilbert/core';
import type { Heap } from './gemm/Heap.js';
import { kernels } from './kernels/index.js';

/** Float32 writes of at least this many elements (64 KiB) are moved into the shared heap. */
const HEAP_WRITE_MIN = 16384;

/** A buffer of this backend: the dataId object itself holds the values. */
interface Data {
  values: TypedArray;
  /** Byte address of this buffer's copy in the heap, once it has been used as a weight. */
  heapPtr?: number;
}

/**
 * Typed-array backend. Each buffer is a JS typed array; matrix products run in `heap` (WebAssembly SIMD
 * with worker threads, or the TypeScript fallback). Weights ([out, in] operands of Linear/BatchMatMul) are
 * moved into the heap once, on first use; when the heap is shared memory the buffer then points at that copy,
 * so a weight is held once.
 */
export class CpuBackend implements KernelBackend {
  readonly name = 'cpu';
  readonly kernels: KernelMap;
  private readonly live = new Set<Data>();
  private disposed = false;

  constructor(
    readonly heap: Heap,
    /** Threads the GEMM uses (1 = inline). */
    readonly threads: number,
    /** The kernels it runs: WebAssembly relaxed SIMD (fused multiply-add), WebAssembly SIMD, or TypeScript. */
    readonly gemmKind: 'wasm-relaxed-simd' | 'wasm-simd' | 'typescript',
  ) {
    const bound: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(kernels)) {
      bound[name] = (inputs: never, attrs: never) =>
        (fn as (b: CpuBackend, i: never, a: never) => TensorInfo)(this, inputs, attrs);
    }
    this.kernels = bound as KernelMap;
  }

  /**
   * Large float32 arrays handed in from outside (weights, as the loader writes them) go straight into the
   * shared heap, so the caller's array can be collected and each weight is held once.
   */
  write(values: TypedArray, _shape: readonly number[], _dtype: DType): DataId {
    this.check();
    const data: Data = { values };
    if (this.heap.stableViews && values instanceof Float32Array && values.length >= HEAP_WRITE_MIN) {
      data.heapPtr = this.heap.put(values);
      data.values = new Float32Array(this.heap.f32.buffer, data.heapPtr, values.length);
    } else if (values.byteLength !== values.buffer.byteLength) {
      // A view into a larger buffer (the loader passes views of the weight file): keeping it would keep the
      // whole file alive.
      data.values = values.slice();
    }
    this.live.add(data);
    return data;
  }

  /**
   * Memory for the loader to fill (KernelBackend.allocateForWrite): a heap block, where write() puts large
   * arrays, so a weight goes from its file straight to where the GEMM reads it.
   */
  allocateForWrite(shape: readonly number[], dtype: DType): { dataId: DataId; values: TypedArray } {
    const { info, values } = this.makeOutput(shape, dtype);
    return { dataId: info.dataId, values };
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    return this.values(dataId).slice();
  }

  disposeData(dataId: DataId): void {
    const data = dataId as Data;
    if (!this.live.delete(data)) return;
    if (data.heapPtr !== undefined) this.heap.release(data.heapPtr);
  }

  memory(): BackendMemory {
    let numBytes = 0;
    for (const d of this.live) numBytes += d.values.byteLength;
    return { numDataIds: this.live.size, numBytes };
  }

  /** Frees every buffer and terminates the worker threads. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live.clear();
    this.closed = Promise.resolve(this.heap.dispose());
  }

  /** Settles once dispose() has finished (worker threads exited). */
  closed: Promise<void> | undefined;

  // ---- for kernels ----

  /** The stored array of a tensor (not a copy: kernels must not write to it). */
  values(dataId: DataId): TypedArray {
    const data = dataId as Data;
    if (!this.live.has(data))
      throw new BackendError('backend-cpu: this tensor was disposed or belongs to another backend.');
    return data.values;
  }

  f32(info: TensorInfo): Float32Array {
    const v = this.values(info.dataId);
    return v instanceof Float32Array ? v : Float32Array.from(v);
  }

  /** Wraps a freshly computed JS array as a tensor of this backend. */
  output(values: TypedArray, shape: readonly number[]): TensorInfo {
    this.check();
    const data: Data = { values };
    this.live.add(data);
    return { dataId: data, shape, dtype: values instanceof Int32Array ? 'int32' : 'float32' };
  }

  /**
   * A new output tensor for a kernel to fill (every element: blocks are reused, not zeroed). With a shared
   * heap it lives there, so the next GEMM reads it in place and disposeData hands the block straight back
   * for reuse (no garbage for the JS GC to find later); `ptr` is then its byte address, else -1.
   */
  makeOutput<D extends DType>(
    shape: readonly number[],
    dtype: D,
  ): { info: TensorInfo; values: D extends 'int32' ? Int32Array : Float32Array; ptr: number } {
    this.check();
    let size = 1;
    for (const d of shape) size *= d;
    const data: Data = { values: new Float32Array(0) };
    let ptr = -1;
    if (this.heap.stableViews) {
      ptr = this.heap.alloc(size * 4);
      data.heapPtr = ptr;
      const buffer = this.heap.f32.buffer;
      data.values =
        dtype === 'int32' ? new Int32Array(buffer, ptr, size) : new Float32Array(buffer, ptr, size);
    } else data.values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    this.live.add(data);
    return { info: { dataId: data, shape, dtype }, values: data.values as never, ptr };
  }

  /**
   * The byte address of a tensor's values in the heap. Tensors already there are used in place; others are
   * copied in and `temp` is true: the caller releases the block when done.
   */
  heapAddress(info: TensorInfo): { ptr: number; temp: boolean } {
    const data = info.dataId as Data;
    if (!this.live.has(data))
      throw new BackendError('backend-cpu: this tensor was disposed or belongs to another backend.');
    if (data.heapPtr !== undefined) return { ptr: data.heapPtr, temp: false };
    return { ptr: this.heap.put(data.values), temp: true };
  }

  /**
   * The heap address of a long-lived [N, K] operand (a weight), copied in once and cached on its buffer.
   * With a shared heap the buffer's own array is replaced by a view of that copy (one copy in memory).
   */
  weightPtr(info: TensorInfo): number {
    const data = info.dataId as Data;
    if (data.heapPtr !== undefined) return data.heapPtr;
    const values = this.f32(info);
    const ptr = this.heap.put(values);
    data.heapPtr = ptr;
    if (this.heap.stableViews) data.values = new Float32Array(this.heap.f32.buffer, ptr, values.length);
    return ptr;
  }

  private check(): void {
    if (this.disposed) throw new BackendError('backend-cpu: this backend was disposed; create a new one.');
  }
}
