import { MASK_FILL, ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

/**
 * Softmax in place over `v[off, off + n)`. `mask` (0 = masked) takes MASK_FILL (PyTorch's finfo.min fill),
 * so a fully masked row comes out uniform. Sums in float64.
 */
export function softmaxRow(
  v: Float32Array,
  off: number,
  n: number,
  mask?: ArrayLike<number>,
  maskOff = 0,
): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (mask && mask[maskOff + i] === 0) v[off + i] = MASK_FILL;
    if (v[off + i] > max) max = v[off + i];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(v[off + i] - max);
    v[off + i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) v[off + i] *= inv;
}

export const Softmax: CpuKernel<'Softmax'> = (backend, { x, mask }) => {
  const n = x.shape[x.shape.length - 1];
  const { info, values: out } = backend.makeOutput(x.shape, 'float32');
  out.set(backend.f32(x));
  let m: ArrayLike<number> | undefined;
  let rowsPerBatch = 1;
  if (mask) {
    if (mask.shape.length !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== n) {
      throw new ShapeError(`Softmax: mask must be [${x.shape[0]}, ${n}], got [${mask.shape}].`);
    }
    m = backend.values(mask.dataId);
    rowsPerBatch = out.length / n / x.shape[0];
  }
  for (let r = 0, off = 0; off < out.length; r++, off += n) {
    softmaxRow(out, off, n, m, m ? Math.floor(r / rowsPerBatch) * n : 0);
  }
  return info;
};
