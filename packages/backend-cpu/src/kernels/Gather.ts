import { InputError, ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

export const Gather: CpuKernel<'Gather'> = (backend, { x, indices }) => {
  if (x.shape.length !== 2) throw new ShapeError(`Gather: x must be [V, D], got [${x.shape}].`);
  const [v, d] = x.shape;
  const table = backend.values(x.dataId);
  const ids = backend.values(indices.dataId);
  const n = ids.length;
  const { info, values: out } = backend.makeOutput([...indices.shape, d], x.dtype);
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < v) || !Number.isInteger(id)) {
      throw new InputError(
        `Gather: index ${id} at position ${i} is outside [0, ${v}); check the input ids against the vocabulary size.`,
      );
    }
    out.set(table.subarray(id * d, id * d + d), i * d);
  }
  return info;
};
