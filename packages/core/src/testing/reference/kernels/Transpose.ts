import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import { allocate } from '../../../tensor/dtype.js';
import { type RefStore, stridesOf } from '../store.js';

type K = KernelSpecs['Transpose'];

export function transpose(s: RefStore, { x }: K['inputs'], { perm }: K['attrs']): TensorInfo {
  const rank = x.shape.length;
  if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    throw new ShapeError(`Transpose: perm [${perm}] is not a permutation of ${rank} axes.`);
  }
  const xv = s.get(x);
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  const out = allocate(x.dtype, xv.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < xv.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * inStrides[perm[i]];
    out[o] = xv[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return s.out(out, outShape, x.dtype);
}
