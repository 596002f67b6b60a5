import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { unary } from './unary.js';

// NaN stays NaN, as torch.relu.
export const reluScalar = (v: number): number => Math.max(v, 0);

export const relu = (s: RefStore, { x }: KernelSpecs['Relu']['inputs']): TensorInfo =>
  unary(s, x, reluScalar);
