import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { unary } from './unary.js';

export const gelu =
  (backend: GpuBackend): KernelFunc<'Gelu'> =>
  ({ x }) =>
    unary(backend, 'gelu', x);
