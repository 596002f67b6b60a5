import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import type { RefStore } from '../store.js';
import { activationScalar } from './activationScalar.js';

type K = KernelSpecs['Linear'];

/** Fused x·Wᵀ + b then activation, with the activation applied to the float64 sum (no float32 round between). */
export function linear(
  s: RefStore,
  { x, weight, bias }: K['inputs'],
  { activation }: K['attrs'],
): TensorInfo {
  const [outDim, inDim] = weight.shape;
  if (x.shape[x.shape.length - 1] !== inDim) {
    throw new ShapeError(`Linear: weight [${weight.shape}] does not take x [${x.shape}].`);
  }
  const xv = s.get(x);
  const wv = s.get(weight);
  const bv = bias ? s.get(bias) : undefined;
  const f = activationScalar(activation);
  const rows = xv.length / inDim;
  const out = new Float32Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let acc = bv ? bv[o] : 0;
      for (let i = 0; i < inDim; i++) acc += xv[r * inDim + i] * wv[o * inDim + i];
      out[r * outDim + o] = f(acc);
    }
  }
  return s.out(out, [...x.shape.slice(0, -1), outDim]);
}
