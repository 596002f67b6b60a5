import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import type { RefStore } from '../store.js';

type K = KernelSpecs['Gather'];

export function gather(s: RefStore, { x, indices }: K['inputs']): TensorInfo {
  const [v, d] = x.shape;
  const table = s.get(x);
  const ids = s.get(indices);
  const out = new Float32Array(ids.length * d);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < v)) throw new ShapeError(`Gather: index ${id} is outside [0, ${v}).`);
    out.set(table.subarray(id * d, id * d + d), i * d);
  }
  return s.out(out, [ids.length, d]);
}
