import { type KernelFunc, ShapeError, sizeOf } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { gemm } from './gemm.js';

/** Fused x · weightᵀ + bias → activation: the bias and activation run in the GEMM's store. */
export const linear =
  (backend: GpuBackend): KernelFunc<'Linear'> =>
  ({ x, weight, bias }, { activation }) => {
    const inDim = x.shape[x.shape.length - 1];
    const [outDim, k] = weight.shape;
    if (weight.shape.length !== 2 || k !== inDim || (bias && sizeOf(bias.shape) !== outDim)) {
      throw new ShapeError(
        `Linear: x [${x.shape}], weight [${weight.shape}], bias [${bias?.shape ?? ''}] do not fit.`,
      );
    }
    const outShape = [...x.shape.slice(0, -1), outDim];
    const out = backend.allocate(outShape, 'float32');
    gemm(backend, {
      a: backend.data(x).buffer,
      b: backend.data(weight).buffer,
      bias: bias ? backend.data(bias).buffer : undefined,
      out: out.buffer,
      batch: 1,
      m: sizeOf(x.shape) / inDim,
      n: outDim,
      k: inDim,
      strideA: 0,
      strideB: 0,
      transA: false,
      transB: true,
      activation,
    });
    return { dataId: out, shape: outShape, dtype: 'float32' };
  };
