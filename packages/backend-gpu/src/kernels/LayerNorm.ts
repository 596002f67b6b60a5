import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { layerNorm as run } from './layerNormShader.js';

export const layerNorm =
  (backend: GpuBackend): KernelFunc<'LayerNorm'> =>
  ({ x, gamma, beta }, { epsilon }) =>
    run(backend, 'LayerNorm', x, undefined, gamma, beta, epsilon);
