import { ShapeError } from '@distilbert/core';
import { EPILOGUE } from '../gemm/Heap.js';
import { activateInPlace } from '../math.js';
import type { CpuKernel } from './types.js';

/**
 * x [..., in] · weightᵀ + bias, then the activation. The weight [out, in] and bias stay in the heap after
 * their first use (K is contiguous in the weight, so it is used as stored); bias and relu/gelu are applied
 * by each thread to the block it has just computed.
 */
export const Linear: CpuKernel<'Linear'> = (backend, { x, weight, bias }, { activation }) => {
  const k = x.shape[x.shape.length - 1];
  if (weight.shape.length !== 2 || weight.shape[1] !== k) {
    throw new ShapeError(`Linear: weight [${weight.shape}] does not take inputs of width ${k}.`);
  }
  const n = weight.shape[0];
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n)) {
    throw new ShapeError(`Linear: bias must be [${n}], got [${bias.shape}].`);
  }
  const heap = backend.heap;
  let m = 1;
  for (const d of x.shape) m *= d;
  m /= k;
  const pw = backend.weightPtr(weight);
  const pb = bias ? backend.weightPtr(bias) : 0;
  const fused = activation === 'gelu' || activation === 'relu' ? EPILOGUE[activation] : EPILOGUE.none;
  const a = backend.heapAddress(x);
  const out = backend.makeOutput([...x.shape.slice(0, -1), n], 'float32');
  const pc = out.ptr >= 0 ? out.ptr : heap.alloc(m * n * 4);
  try {
    heap.gemm(a.ptr, pw, pc, m, n, k, k, k, n, pb, fused);
    if (out.ptr < 0) out.values.set(heap.f32.subarray(pc >> 2, (pc >> 2) + m * n));
  } finally {
    if (a.temp) heap.release(a.ptr);
    if (out.ptr < 0) heap.release(pc);
  }
  if (activation === 'tanh') activateInPlace(out.values, 'tanh');
  return out.info;
};
