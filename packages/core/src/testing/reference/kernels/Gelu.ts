import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { erf } from './erf.js';
import { unary } from './unary.js';

export const geluScalar = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));

export const gelu = (s: RefStore, { x }: KernelSpecs['Gelu']['inputs']): TensorInfo =>
  unary(s, x, geluScalar);
