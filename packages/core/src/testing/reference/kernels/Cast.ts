import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { allocate } from '../../../tensor/dtype.js';
import type { RefStore } from '../store.js';

type K = KernelSpecs['Cast'];

// Int32Array assignment truncates toward zero, the rule the kernel spec asks for.
export function cast(s: RefStore, { x }: K['inputs'], { dtype }: K['attrs']): TensorInfo {
  const xv = s.get(x);
  const out = allocate(dtype, xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = dtype === 'int32' ? Math.trunc(xv[i]) : xv[i];
  return s.out(out, x.shape, dtype);
}
