import { activateInPlace } from '../math.js';
import type { CpuKernel } from './types.js';

export const Gelu: CpuKernel<'Gelu'> = (backend, { x }) => {
  const { info, values: out } = backend.makeOutput(x.shape, 'float32');
  out.set(backend.values(x.dataId));
  activateInPlace(out, 'gelu');
  return info;
};
