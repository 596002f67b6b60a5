import type { Activation } from '../backend/kernels.js';
import { engine } from '../engine/engine.js';
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/Tensor.js';
import { activation, add, matMul, reshape } from './ops.js';

/**
 * x [..., in] · weightᵀ + bias, then `act`; `weight` is [out, in] as PyTorch stores it.
 * Uses the backend's fused Linear kernel when it has one, else MatMul + Add + activation.
 */
export function linear(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  act: Activation = 'none',
): Tensor {
  const inDim = x.shape[x.rank - 1];
  if (weight.rank !== 2 || weight.shape[1] !== inDim) {
    throw new ShapeError(`linear: weight [${weight.shape}] does not take inputs of width ${inDim}.`);
  }
  if (engine.hasKernel(x.backend, 'Linear')) {
    const inputs = bias
      ? { x, weight, bias }
      : ({ x, weight } as { x: Tensor; weight: Tensor; bias: Tensor });
    return engine.runKernel('Linear', inputs, { activation: act });
  }
  return engine.tidy(() => {
    const outDim = weight.shape[0];
    const flat = reshape(x, [-1, inDim]);
    let y = matMul(flat, weight, false, true);
    if (bias) y = add(y, bias);
    y = activation(y, act);
    return reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
