import type { Activation } from '../backend/kernels.js';
import { engine } from '../engine/engine.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/Tensor.js';

// Thin, typed entry points to the required kernels. Every op goes through engine.runKernel, so observers
// (the ONNX tracer now, a gradient tape later) see each one by its kernel name.

export const gather = (x: Tensor, indices: Tensor): Tensor => engine.runKernel('Gather', { x, indices }, {});

export const matMul = (a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor =>
  engine.runKernel('BatchMatMul', { a, b }, { transposeA, transposeB });

export const add = (a: Tensor, b: Tensor): Tensor => engine.runKernel('Add', { a, b }, {});
export const mul = (a: Tensor, b: Tensor): Tensor => engine.runKernel('Mul', { a, b }, {});

export const layerNorm = (x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor =>
  engine.runKernel('LayerNorm', { x, gamma, beta }, { epsilon });

export const gelu = (x: Tensor): Tensor => engine.runKernel('Gelu', { x }, {});
export const relu = (x: Tensor): Tensor => engine.runKernel('Relu', { x }, {});
export const tanh = (x: Tensor): Tensor => engine.runKernel('Tanh', { x }, {});

/** Softmax over the last axis; `mask` [B, Sk] (0 = masked key) as in the Softmax kernel. */
export const softmax = (x: Tensor, mask?: Tensor): Tensor =>
  engine.runKernel('Softmax', mask ? { x, mask } : ({ x } as { x: Tensor; mask: Tensor }), {});

export const transpose = (x: Tensor, perm: readonly number[]): Tensor =>
  engine.runKernel('Transpose', { x }, { perm });

export const slice = (x: Tensor, begin: readonly number[], size: readonly number[]): Tensor =>
  engine.runKernel('Slice', { x }, { begin, size });

export const cast = (x: Tensor, dtype: DType): Tensor => engine.runKernel('Cast', { x }, { dtype });

export const reshape = (x: Tensor, shape: readonly number[]): Tensor => engine.reshape(x, shape);

export function activation(x: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'gelu':
      return gelu(x);
    case 'relu':
      return relu(x);
    case 'tanh':
      return tanh(x);
    case 'none':
      return x;
  }
}
