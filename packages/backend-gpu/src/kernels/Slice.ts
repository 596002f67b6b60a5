import { type KernelFunc, ShapeError } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { rowMajorStrides, stridedCopy } from './strided.js';

export const slice =
  (backend: GpuBackend): KernelFunc<'Slice'> =>
  ({ x }, { begin, size }) => {
    const rank = x.shape.length;
    if (
      begin.length !== rank ||
      size.length !== rank ||
      begin.some((b, i) => b < 0 || size[i] < 0 || b + size[i] > x.shape[i])
    ) {
      throw new ShapeError(`Slice: begin [${begin}] size [${size}] do not fit in [${x.shape}].`);
    }
    const strides = rowMajorStrides(x.shape);
    const offset = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
    return stridedCopy(backend, 'Slice', x, size, strides, offset);
  };
