import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import type { RefStore } from '../store.js';
import { layerNormRows } from './LayerNorm.js';

type K = KernelSpecs['AddLayerNorm'];

export function addLayerNorm(
  s: RefStore,
  { x, residual, gamma, beta }: K['inputs'],
  { epsilon }: K['attrs'],
): TensorInfo {
  const xv = s.get(x);
  const rv = s.get(residual);
  if (xv.length !== rv.length)
    throw new ShapeError(`AddLayerNorm: residual [${residual.shape}] ≠ x [${x.shape}].`);
  const sum = new Float64Array(xv.length);
  for (let i = 0; i < xv.length; i++) sum[i] = xv[i] + rv[i];
  const d = x.shape[x.shape.length - 1];
  return s.out(layerNormRows(sum, d, s.get(gamma), s.get(beta), epsilon), x.shape);
}
