import { type KernelFunc, ShapeError, sizeOf } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { gemm } from './gemm.js';

export const batchMatMul =
  (backend: GpuBackend): KernelFunc<'BatchMatMul'> =>
  ({ a, b }, { transposeA, transposeB }) => {
    if (a.shape.length < 2 || b.shape.length < 2 || a.dtype !== 'float32' || b.dtype !== 'float32') {
      throw new ShapeError(`BatchMatMul: needs float32 matrices, got [${a.shape}] and [${b.shape}].`);
    }
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [m, k] = transposeA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
    const [k2, n] = transposeB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const shared = batchA.length === 0 || batchB.length === 0;
    if (k !== k2 || (!shared && batchA.join() !== batchB.join())) {
      throw new ShapeError(
        `BatchMatMul: [${a.shape}]${transposeA ? 'ᵀ' : ''} · [${b.shape}]${transposeB ? 'ᵀ' : ''} do not fit.`,
      );
    }
    const batchShape = batchA.length > 0 ? batchA : batchB;
    let batch = sizeOf(batchShape);
    const outShape = [...batchShape, m, n];
    const out = backend.allocate(outShape, 'float32');
    let strideA = batchA.length > 0 ? m * k : 0;
    const strideB = batchB.length > 0 ? k * n : 0;
    let rows = m;
    // A batch of row-major A against one shared B is a single taller product: fuller tiles.
    if (!transposeA && strideB === 0 && strideA !== 0) {
      rows = m * batch;
      batch = 1;
      strideA = 0;
    }
    gemm(backend, {
      a: backend.data(a).buffer,
      b: backend.data(b).buffer,
      out: out.buffer,
      batch,
      m: rows,
      n,
      k,
      strideA,
      strideB,
      transA: transposeA,
      transB: transposeB,
      activation: 'none',
    });
    return { dataId: out, shape: outShape, dtype: 'float32' };
  };
