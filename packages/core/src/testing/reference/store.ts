import type { TensorInfo } from '../../backend/KernelBackend.js';
import type { DType, TypedArray } from '../../tensor/dtype.js';

/** What a reference kernel needs from its backend: read an input's values, hand over an output. */
export interface RefStore {
  get(t: TensorInfo): TypedArray;
  out(values: TypedArray, shape: readonly number[], dtype?: DType): TensorInfo;
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Rounds a float64 to float32, as every stored output is. */
export const f32 = Math.fround;
