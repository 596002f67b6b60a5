import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { RefStore } from '../store.js';

export function unary(s: RefStore, x: TensorInfo, f: (v: number) => number): TensorInfo {
  const xv = s.get(x);
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = f(xv[i]);
  return s.out(out, x.shape);
}
