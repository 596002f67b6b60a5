import type { KernelFunc } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { binary } from './binary.js';

export const add =
  (backend: GpuBackend): KernelFunc<'Add'> =>
  ({ a, b }) =>
    binary(backend, '+', 'Add', a, b);
