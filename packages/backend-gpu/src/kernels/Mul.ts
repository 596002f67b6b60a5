import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { binary } from './binary.js';

export const mul =
  (backend: GpuBackend): KernelFunc<'Mul'> =>
  ({ a, b }) =>
    binary(backend, '*', 'Mul', a, b);
