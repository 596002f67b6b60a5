import { ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

export const Slice: CpuKernel<'Slice'> = (backend, { x }, { begin, size }) => {
  const rank = x.shape.length;
  if (
    begin.length !== rank ||
    size.length !== rank ||
    begin.some((b, i) => b < 0 || b + size[i] > x.shape[i])
  ) {
    throw new ShapeError(`Slice: begin [${begin}] + size [${size}] does not fit in [${x.shape}].`);
  }
  const src = backend.values(x.dataId);
  let total = 1;
  for (const s of size) total *= s;
  const { info, values: out } = backend.makeOutput([...size], x.dtype);
  if (total === 0) return info;
  const strides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.shape[i];
  }
  const last = rank - 1;
  const n = rank ? size[last] : 1;
  const idx = new Array<number>(rank).fill(0);
  let base = 0;
  for (let i = 0; i < rank; i++) base += begin[i] * strides[i];
  let o = 0;
  for (;;) {
    out.set(src.subarray(base, base + n), o);
    o += n;
    let a = last - 1;
    while (a >= 0) {
      idx[a]++;
      base += strides[a];
      if (idx[a] < size[a]) break;
      base -= idx[a] * strides[a];
      idx[a] = 0;
      a--;
    }
    if (a < 0) break;
  }
  return info;
};
