import { ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

/**
 * softmax(q kᵀ · scale + maskFill) v, one (batch, head) pair at a time per thread: only one head's [S, S]
 * score matrix exists per thread. q (scaled first, as HF does), k, v and the mask are copied into the heap
 * once; per head the GEMM reads them with stride D and writes the context straight into its columns.
 */
export const Attention: CpuKernel<'Attention'> = (backend, { q, k, v, mask }, { numHeads, scale }) => {
  const [b, s, d] = q.shape;
  if (q.shape.length !== 3 || d % numHeads !== 0) {
    throw new ShapeError(
      `Attention: q must be [B, S, H·hd] with H = ${numHeads} dividing the width; got [${q.shape}].`,
    );
  }
  if (String(k.shape) !== String(q.shape) || String(v.shape) !== String(q.shape)) {
    throw new ShapeError(
      `Attention: q, k, v must have one shape, got [${q.shape}], [${k.shape}], [${v.shape}].`,
    );
  }
  if (mask.shape.length !== 2 || mask.shape[0] !== b || mask.shape[1] !== s) {
    throw new ShapeError(`Attention: mask must be [${b}, ${s}], got [${mask.shape}].`);
  }
  const heap = backend.heap;
  const qv = backend.f32(q);
  const pq = heap.alloc(qv.length * 4);
  const scaled = heap.f32;
  for (let i = 0, o = pq >> 2; i < qv.length; i++) scaled[o + i] = qv[i] * scale;
  const kk = backend.heapAddress(k);
  const vv = backend.heapAddress(v);
  const mv = backend.values(mask.dataId);
  const mm =
    mv instanceof Int32Array ? backend.heapAddress(mask) : { ptr: heap.put(Int32Array.from(mv)), temp: true };
  const out = backend.makeOutput(q.shape, 'float32');
  const pCtx = out.ptr >= 0 ? out.ptr : heap.alloc(b * s * d * 4);
  try {
    heap.attention(pq, kk.ptr, vv.ptr, mm.ptr, pCtx, b, s, d, numHeads);
    if (out.ptr < 0) out.values.set(heap.f32.subarray(pCtx >> 2, (pCtx >> 2) + b * s * d));
    return out.info;
  } finally {
    heap.release(pq);
    for (const t of [kk, vv, mm]) if (t.temp) heap.release(t.ptr);
    if (out.ptr < 0) heap.release(pCtx);
  }
};
