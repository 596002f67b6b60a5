import { broadcastBinary } from './binary.js';
import type { CpuKernel } from './types.js';

export const Mul: CpuKernel<'Mul'> = (backend, { a, b }) =>
  broadcastBinary(backend, 'Mul', a, b, (x, y) => x * y);
