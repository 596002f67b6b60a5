import { activateInPlace } from '../math.js';
import type { CpuKernel } from './types.js';

export const Tanh: CpuKernel<'Tanh'> = (backend, { x }) => {
  const { info, values: out } = backend.makeOutput(x.shape, 'float32');
  out.set(backend.values(x.dataId));
  activateInPlace(out, 'tanh');
  return info;
};
