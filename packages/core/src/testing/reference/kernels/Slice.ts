import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import { allocate, sizeOf } from '../../../tensor/dtype.js';
import { type RefStore, stridesOf } from '../store.js';

type K = KernelSpecs['Slice'];

export function slice(s: RefStore, { x }: K['inputs'], { begin, size }: K['attrs']): TensorInfo {
  const rank = x.shape.length;
  if (begin.length !== rank || size.length !== rank) {
    throw new ShapeError(`Slice: begin/size need ${rank} entries for x [${x.shape}].`);
  }
  for (let i = 0; i < rank; i++) {
    if (begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > x.shape[i]) {
      throw new ShapeError(`Slice: [${begin[i]}, +${size[i]}) is outside axis ${i} of [${x.shape}].`);
    }
  }
  const xv = s.get(x);
  const strides = stridesOf(x.shape);
  const n = sizeOf(size);
  const out = allocate(x.dtype, n);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += (begin[i] + idx[i]) * strides[i];
    out[o] = xv[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < size[i]) break;
      idx[i] = 0;
    }
  }
  return s.out(out, [...size], x.dtype);
}
