import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { binary } from './binary.js';

export const mul = (s: RefStore, { a, b }: KernelSpecs['Mul']['inputs']): TensorInfo =>
  binary(s, 'Mul', a, b, (x, y) => x * y);
