import { type KernelFunc, ShapeError } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { rowMajorStrides, stridedCopy } from './strided.js';

export const transpose =
  (backend: GpuBackend): KernelFunc<'Transpose'> =>
  ({ x }, { perm }) => {
    const rank = x.shape.length;
    if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
      throw new ShapeError(`Transpose: perm [${perm}] is not a permutation of ${rank} axes.`);
    }
    const inStrides = rowMajorStrides(x.shape);
    return stridedCopy(
      backend,
      'Transpose',
      x,
      perm.map((p) => x.shape[p]),
      perm.map((p) => inStrides[p]),
      0,
    );
  };
