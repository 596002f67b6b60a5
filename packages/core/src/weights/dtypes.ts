import type { StoredDType } from './Checkpoint.js';

/** Bytes per element of each stored dtype. */
export const ITEM_SIZE: Readonly<Record<StoredDType, number>> = {
  F64: 8,
  I64: 8,
  F32: 4,
  I32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export const STORED_DTYPES = Object.keys(ITEM_SIZE) as StoredDType[];

export function isStoredDType(name: unknown): name is StoredDType {
  return typeof name === 'string' && Object.hasOwn(ITEM_SIZE, name);
}

export function isIntegerDType(dtype: StoredDType): boolean {
  return (
    dtype === 'I64' ||
    dtype === 'I32' ||
    dtype === 'I16' ||
    dtype === 'I8' ||
    dtype === 'U8' ||
    dtype === 'BOOL'
  );
}

/** Element count of a shape; the caller has checked every dimension is a non-negative safe integer. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
