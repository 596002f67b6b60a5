import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { layerNorm } from './layerNormShader.js';

/** Fused LayerNorm(x + residual): the sum is never stored. */
export const addLayerNorm =
  (backend: GpuBackend): KernelFunc<'AddLayerNorm'> =>
  ({ x, residual, gamma, beta }, { epsilon }) =>
    layerNorm(backend, 'AddLayerNorm', x, residual, gamma, beta, epsilon);
