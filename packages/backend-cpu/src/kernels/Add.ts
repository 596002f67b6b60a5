import { broadcastBinary } from './binary.js';
import type { CpuKernel } from './types.js';

export const Add: CpuKernel<'Add'> = (backend, { a, b }) =>
  broadcastBinary(backend, 'Add', a, b, (x, y) => x + y);
