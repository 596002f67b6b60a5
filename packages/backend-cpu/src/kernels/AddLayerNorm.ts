import { ShapeError } from '@distilbert/core';
import { layerNormRows } from './LayerNorm.js';
import type { CpuKernel } from './types.js';

/** LayerNorm(x + residual); the sum is rounded to float32 first, as PyTorch adds before normalising. */
export const AddLayerNorm: CpuKernel<'AddLayerNorm'> = (
  backend,
  { x, residual, gamma, beta },
  { epsilon },
) => {
  const xv = backend.f32(x);
  const rv = backend.f32(residual);
  if (xv.length !== rv.length) {
    throw new ShapeError(`AddLayerNorm: x [${x.shape}] and residual [${residual.shape}] differ in size.`);
  }
  const d = x.shape[x.shape.length - 1];
  const { info, values: sum } = backend.makeOutput(x.shape, 'float32');
  for (let i = 0; i < sum.length; i++) sum[i] = xv[i] + rv[i];
  layerNormRows(sum, backend.f32(gamma), backend.f32(beta), epsilon, d, sum);
  return info;
};
