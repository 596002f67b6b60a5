import type { TensorInfo } from '@distilbert/core';
import { ShapeError } from '@distilbert/core';
import type { CpuBackend } from '../CpuBackend.js';

/** a op b where b's shape is a suffix of a's (b repeats over a's leading axes). */
export function broadcastBinary(
  backend: CpuBackend,
  name: string,
  a: TensorInfo,
  b: TensorInfo,
  op: (x: number, y: number) => number,
): TensorInfo {
  const sa = a.shape;
  const sb = b.shape;
  const off = sa.length - sb.length;
  if (off < 0 || sb.some((d, i) => d !== sa[off + i])) {
    throw new ShapeError(`${name}: b [${sb}] must be a suffix of a's shape [${sa}].`);
  }
  const av = backend.values(a.dataId);
  const bv = backend.values(b.dataId);
  const { info, values: out } = backend.makeOutput(
    sa,
    a.dtype === 'int32' && b.dtype === 'int32' ? 'int32' : 'float32',
  );
  const bn = bv.length;
  for (let i = 0; i < av.length; i += bn) {
    for (let j = 0; j < bn; j++) out[i + j] = op(av[i + j], bv[j]);
  }
  return info;
}
