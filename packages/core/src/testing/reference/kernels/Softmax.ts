import type { TensorInfo } from '../../../backend/KernelBackend.js';
import { type KernelSpecs, MASK_FILL } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import type { RefStore } from '../store.js';

/**
 * Softmax of one row in float64; `mask` (0 = masked) replaces masked logits with MASK_FILL first,
 * so a fully masked row is uniform.
 */
export function softmaxRow(
  row: ArrayLike<number>,
  mask: TypedArray | undefined,
  maskOffset: number,
  out: Float32Array,
  outOffset: number,
): void {
  const n = row.length;
  const vals = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    vals[i] = mask && mask[maskOffset + i] === 0 ? MASK_FILL : row[i];
    if (vals[i] > max) max = vals[i];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    vals[i] = Math.exp(vals[i] - max);
    sum += vals[i];
  }
  for (let i = 0; i < n; i++) out[outOffset + i] = vals[i] / sum;
}

export function softmax(s: RefStore, { x, mask }: KernelSpecs['Softmax']['inputs']): TensorInfo {
  const n = x.shape[x.shape.length - 1];
  const xv = s.get(x);
  const rows = xv.length / n;
  const mv = mask ? s.get(mask) : undefined;
  if (mask && (mask.shape.length !== 2 || mask.shape[1] !== n || mask.shape[0] !== x.shape[0])) {
    throw new ShapeError(`Softmax: mask [${mask.shape}] does not fit x [${x.shape}] (want [B, Sk]).`);
  }
  // Rows per batch entry: every axis between the first and the last.
  const rowsPerBatch = mask ? rows / x.shape[0] : rows;
  const out = new Float32Array(xv.length);
  for (let r = 0; r < rows; r++) {
    const b = Math.floor(r / rowsPerBatch);
    softmaxRow(xv.subarray(r * n, r * n + n), mv, b * n, out, r * n);
  }
  return s.out(out, x.shape);
}
