/** Element types a backend stores. Half-precision weights are converted to float32 when loaded. */
export type DType = 'float32' | 'int32';

export type TypedArray = Float32Array | Int32Array;

/** The typed array that holds values of dtype `D`. */
export type DataFor<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4 };

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function dtypeOf(values: TypedArray): DType {
  return values instanceof Int32Array ? 'int32' : 'float32';
}

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}
