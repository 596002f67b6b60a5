import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import type { RefStore } from '../store.js';

type K = KernelSpecs['LayerNorm'];

/** Normalises `rows` rows of width d from `src` (float64 mean and biased variance) into a new array. */
export function layerNormRows(
  src: ArrayLike<number>,
  d: number,
  gamma: TypedArray,
  beta: TypedArray,
  epsilon: number,
): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < src.length / d; r++) {
    const o = r * d;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += src[o + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (src[o + i] - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + epsilon);
    for (let i = 0; i < d; i++) out[o + i] = (src[o + i] - mean) * inv * gamma[i] + beta[i];
  }
  return out;
}

export function layerNorm(s: RefStore, { x, gamma, beta }: K['inputs'], { epsilon }: K['attrs']): TensorInfo {
  const d = x.shape[x.shape.length - 1];
  return s.out(layerNormRows(s.get(x), d, s.get(gamma), s.get(beta), epsilon), x.shape);
}
