import { ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

export const Transpose: CpuKernel<'Transpose'> = (backend, { x }, { perm }) => {
  const rank = x.shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new ShapeError(
      `Transpose: perm [${perm}] is not a permutation of the ${rank} axes of [${x.shape}].`,
    );
  }
  const src = backend.values(x.dataId);
  const shape = perm.map((p) => x.shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= x.shape[i];
  }
  // stride in the input of each output axis
  const strides = perm.map((p) => inStrides[p]);
  const { info, values: out } = backend.makeOutput(shape, x.dtype);
  if (src.length === 0) return info;
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const n = rank ? shape[last] : 1;
  const step = rank ? strides[last] : 0;
  let o = 0;
  let base = 0;
  for (;;) {
    for (let j = 0, p = base; j < n; j++, p += step) out[o++] = src[p];
    // advance the outer axes like an odometer
    let a = last - 1;
    while (a >= 0) {
      idx[a]++;
      base += strides[a];
      if (idx[a] < shape[a]) break;
      base -= idx[a] * strides[a];
      idx[a] = 0;
      a--;
    }
    if (a < 0) break;
  }
  return info;
};
