import type { KernelBackend, KernelMap } from '../../backend/KernelBackend.js';
import { BackendError } from '../../errors.js';
import type { DType, TypedArray } from '../../tensor/dtype.js';
import { add } from './kernels/Add.js';
import { addLayerNorm } from './kernels/AddLayerNorm.js';
import { attention } from './kernels/Attention.js';
import { batchMatMul } from './kernels/BatchMatMul.js';
import { cast } from './kernels/Cast.js';
import { gather } from './kernels/Gather.js';
import { gelu } from './kernels/Gelu.js';
import { layerNorm } from './kernels/LayerNorm.js';
import { linear } from './kernels/Linear.js';
import { mul } from './kernels/Mul.js';
import { relu } from './kernels/Relu.js';
import { slice } from './kernels/Slice.js';
import { softmax } from './kernels/Softmax.js';
import { tanh } from './kernels/Tanh.js';
import { transpose } from './kernels/Transpose.js';
import type { RefStore } from './store.js';

export interface ReferenceBackendOptions {
  /** Also provide the optional fused kernels (Linear, AddLayerNorm, Attention). Default false. */
  fused?: boolean;
  /** Backend name (default 'reference'). */
  name?: string;
}

/**
 * The float64 reference: host arrays, plain loops, float64 accumulation in every sum, outputs rounded
 * to float32. Slow and obviously correct; other backends are checked against it.
 */
export function createReferenceBackend(options: ReferenceBackendOptions = {}): KernelBackend {
  const buffers = new Map<object, { values: TypedArray; dtype: DType }>();
  let bytes = 0;
  let disposed = false;
  const live = () => {
    if (disposed) throw new BackendError(`Backend '${name}' was disposed.`);
  };
  const write = (values: TypedArray, _shape: readonly number[], dtype: DType) => {
    live();
    const id = {};
    buffers.set(id, { values, dtype });
    bytes += values.byteLength;
    return id;
  };
  const lookup = (id: object) => {
    const entry = buffers.get(id);
    if (!entry) throw new BackendError(`Backend '${name}' has no buffer for this tensor (disposed?).`);
    return entry.values;
  };
  const store: RefStore = {
    get: (t) => lookup(t.dataId),
    out: (values, shape, dtype = 'float32') => ({ dataId: write(values, shape, dtype), shape, dtype }),
  };
  const name = options.name ?? 'reference';
  const required: KernelMap = {
    Gather: (i) => gather(store, i),
    BatchMatMul: (i, a) => batchMatMul(store, i, a),
    Add: (i) => add(store, i),
    Mul: (i) => mul(store, i),
    LayerNorm: (i, a) => layerNorm(store, i, a),
    Gelu: (i) => gelu(store, i),
    Relu: (i) => relu(store, i),
    Tanh: (i) => tanh(store, i),
    Softmax: (i) => softmax(store, i),
    Transpose: (i, a) => transpose(store, i, a),
    Slice: (i, a) => slice(store, i, a),
    Cast: (i, a) => cast(store, i, a),
  };
  const fused: KernelMap = {
    Linear: (i, a) => linear(store, i, a),
    AddLayerNorm: (i, a) => addLayerNorm(store, i, a),
    Attention: (i, a) => attention(store, i, a),
  };
  return {
    name,
    kernels: options.fused ? { ...required, ...fused } : required,
    write,
    read: async (id) => lookup(id).slice(),
    readSync: (id) => lookup(id).slice(),
    disposeData(id) {
      const entry = buffers.get(id);
      if (!entry) return;
      buffers.delete(id);
      bytes -= entry.values.byteLength;
    },
    memory: () => ({ numDataIds: buffers.size, numBytes: bytes }),
    dispose() {
      buffers.clear();
      bytes = 0;
      disposed = true;
    },
  };
}
