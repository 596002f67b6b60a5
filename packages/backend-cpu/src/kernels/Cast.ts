import type { CpuKernel } from './types.js';

export const Cast: CpuKernel<'Cast'> = (backend, { x }, { dtype }) => {
  const src = backend.values(x.dataId);
  const { info, values: out } = backend.makeOutput(x.shape, dtype);
  if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  else out.set(src);
  return info;
};
