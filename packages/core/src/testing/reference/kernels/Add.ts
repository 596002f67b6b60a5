import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { binary } from './binary.js';

export const add = (s: RefStore, { a, b }: KernelSpecs['Add']['inputs']): TensorInfo =>
  binary(s, 'Add', a, b, (x, y) => x + y);
