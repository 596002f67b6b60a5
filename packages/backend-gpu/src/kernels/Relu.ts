import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { unary } from './unary.js';

export const relu =
  (backend: GpuBackend): KernelFunc<'Relu'> =>
  ({ x }) =>
    unary(backend, 'relu', x);
