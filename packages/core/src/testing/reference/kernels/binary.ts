import type { TensorInfo } from '../../../backend/KernelBackend.js';
import { ShapeError } from '../../../errors.js';
import { sizeOf } from '../../../tensor/dtype.js';
import type { RefStore } from '../store.js';

/** Elementwise a ∘ b where b's shape is a suffix of a's (b repeats along the leading axes). */
export function binary(
  s: RefStore,
  name: string,
  a: TensorInfo,
  b: TensorInfo,
  f: (x: number, y: number) => number,
): TensorInfo {
  const suffix = a.shape.slice(a.shape.length - b.shape.length);
  if (b.shape.length > a.shape.length || suffix.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${name}: shape [${b.shape}] is not a suffix of [${a.shape}].`);
  }
  const av = s.get(a);
  const bv = s.get(b);
  const n = sizeOf(b.shape);
  const out = new Float32Array(av.length);
  for (let i = 0; i < av.length; i++) out[i] = f(av[i], bv[i % n]);
  return s.out(out, a.shape);
}
