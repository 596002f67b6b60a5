import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { unary } from './unary.js';

export const tanh =
  (backend: GpuBackend): KernelFunc<'Tanh'> =>
  ({ x }) =>
    unary(backend, 'tanh', x);
