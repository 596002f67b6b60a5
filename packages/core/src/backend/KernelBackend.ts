import type { DistilBertPreTrainedModel } from '../model/DistilBertPreTrainedModel.js';
import type { ForwardOptions, ModelInputs, ModelOutput } from '../model/ModelOutput.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { KernelName, KernelSpecs } from './kernels.js';

/** A backend's handle for one buffer. Core never looks inside it; it only passes it back to the backend. */
export type DataId = object;

/** What a kernel sees of a tensor: the backend's buffer and how to read it. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * One kernel. It allocates its output on its own backend and returns it; it never frees its inputs.
 * Kernels are synchronous to the caller (a GPU backend may only enqueue work); results are read with
 * `KernelBackend.read`.
 */
export type KernelFunc<K extends KernelName = KernelName> = (
  inputs: KernelSpecs[K]['inputs'],
  attrs: KernelSpecs[K]['attrs'],
) => TensorInfo;

export type KernelMap = { readonly [K in KernelName]?: KernelFunc<K> };

export interface BackendMemory {
  /** Buffers this backend holds (includes pooled buffers where the backend counts them). */
  numDataIds: number;
  numBytes: number;
}

/**
 * The interface a backend implements. It owns its device and every buffer it hands out; `dispose()`
 * releases all of them. Everything else (refcounts, tidy scopes, composite fallbacks) lives in core.
 */
export interface KernelBackend {
  readonly name: string;
  /** Kernels by name: the required set of kernels.ts, plus any optional fused kernel. */
  readonly kernels: KernelMap;
  /**
   * Stores `values` (the backend may keep the array itself: the caller hands it over) and returns its handle.
   * `values` may be a view into a larger buffer (weights come straight from the file): keep or copy the view,
   * never transfer or detach its `.buffer`.
   */
  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId;
  /**
   * Optional, for host-memory backends: hands out a new buffer the backend owns (unfilled) and a writable
   * array over it. The caller fills every element of `values` at once; the buffer then counts as written.
   * Core calls it only while loading weights, which are then read from the file straight into `values`
   * (no temporary array per tensor). Without it, loading uses `write`.
   */
  allocateForWrite?(shape: readonly number[], dtype: DType): { dataId: DataId; values: TypedArray };
  /** Reads a buffer back. The returned array belongs to the caller. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Synchronous read, for backends whose memory is host memory. */
  readSync?(dataId: DataId): TypedArray;
  /** Frees one buffer. Core calls it once, when the last tensor viewing it is disposed. */
  disposeData(dataId: DataId): void;
  memory(): BackendMemory;
  /** Frees everything; the backend is unusable afterwards. */
  dispose(): void;
  /**
   * Optional, for graph backends (ONNX): runs a whole model instead of kernel by kernel. When present,
   * `model.forward` checks the inputs (ids in the vocabulary, length, mask filled in) and delegates here.
   */
  runModel?(
    model: DistilBertPreTrainedModel,
    inputs: ModelInputs,
    options: ForwardOptions,
  ): Promise<ModelOutput>;
}

/** How a backend package exposes itself: `export const backend: BackendPlugin` (and as its default export). */
export interface BackendPlugin<Options = Record<string, unknown>> {
  /** Short name users pass to `setBackend` ('cpu', 'gpu', 'onnx'). */
  name: string;
  /** Higher wins when no backend is named. */
  priority: number;
  create(options?: Options): KernelBackend | Promise<KernelBackend>;
}
