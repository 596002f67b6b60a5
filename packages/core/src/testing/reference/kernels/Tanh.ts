import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { unary } from './unary.js';

export const tanh = (s: RefStore, { x }: KernelSpecs['Tanh']['inputs']): TensorInfo => unary(s, x, Math.tanh);
