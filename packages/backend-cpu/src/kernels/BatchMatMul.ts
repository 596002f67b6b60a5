import { ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

/**
 * Every product runs as C = A·Bᵀ with K contiguous in both operands (the GEMM's one form): A is transposed
 * into the heap when transposeA, B when not transposeB. A rank-2 B read transposed is a weight [out, in] and is
 * kept in the heap for good (see CpuBackend.weightPtr).
 */
export const BatchMatMul: CpuKernel<'BatchMatMul'> = (backend, { a, b }, { transposeA, transposeB }) => {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || ra > 3 || rb < 2 || rb > 3) {
    throw new ShapeError(`BatchMatMul: operands must be rank 2 or 3, got [${a.shape}] and [${b.shape}].`);
  }
  const batchA = ra === 3 ? a.shape[0] : 1;
  const batchB = rb === 3 ? b.shape[0] : 1;
  if (ra === 3 && rb === 3 && batchA !== batchB) {
    throw new ShapeError(`BatchMatMul: batch sizes differ: [${a.shape}] and [${b.shape}].`);
  }
  const batch = Math.max(batchA, batchB);
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const kb = transposeB ? b1 : b0;
  const n = transposeB ? b0 : b1;
  if (k !== kb) {
    throw new ShapeError(
      `BatchMatMul: inner sizes differ: [${a.shape}]${transposeA ? 'ᵀ' : ''} · [${b.shape}]${transposeB ? 'ᵀ' : ''}.`,
    );
  }
  const heap = backend.heap;
  const weight = rb === 2 && transposeB ? backend.weightPtr(b) : -1;
  // Operands already in K-contiguous form and in the heap are read in place; the others are copied per batch.
  const aIn = transposeA ? undefined : backend.heapAddress(a);
  const bIn = weight < 0 && transposeB ? backend.heapAddress(b) : undefined;
  const av = transposeA ? backend.f32(a) : undefined;
  const bv = weight < 0 && !transposeB ? backend.f32(b) : undefined;
  const pa = av ? heap.alloc(m * k * 4) : -1;
  const pb = bv ? heap.alloc(n * k * 4) : -1;
  const out = backend.makeOutput(ra === 3 || rb === 3 ? [batch, m, n] : [m, n], 'float32');
  const pc = out.ptr >= 0 ? -1 : heap.alloc(m * n * 4);
  try {
    for (let t = 0; t < batch; t++) {
      const ta = ra === 3 ? t : 0;
      const tb = rb === 3 ? t : 0;
      if (av) copyTransposed(av, ta * m * k, a0, a1, heap.f32, pa >> 2);
      if (bv && (t === 0 || rb === 3)) copyTransposed(bv, tb * n * k, b0, b1, heap.f32, pb >> 2);
      const A = av ? pa : aIn!.ptr + ta * m * k * 4;
      const B = weight >= 0 ? weight : bv ? pb : bIn!.ptr + tb * n * k * 4;
      const C = out.ptr >= 0 ? out.ptr + t * m * n * 4 : pc;
      heap.gemm(A, B, C, m, n, k, k, k, n);
      if (out.ptr < 0) out.values.set(heap.f32.subarray(pc >> 2, (pc >> 2) + m * n), t * m * n);
    }
  } finally {
    for (const p of [pa, pb, pc]) if (p >= 0) heap.release(p);
    for (const x of [aIn, bIn]) if (x?.temp) heap.release(x.ptr);
  }
  return out.info;
};

/** Copies the [rows, cols] matrix at src[off] to dst[at] transposed ([cols, rows]). */
function copyTransposed(
  src: Float32Array,
  off: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  at: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = off + r * cols;
    for (let c = 0; c < cols; c++) dst[at + c * rows + r] = src[s + c];
  }
}
