import { engine } from '../engine/engine.js';
import type { Tensor } from '../tensor/Tensor.js';
import { add, layerNorm } from './ops.js';

/** LayerNorm(x + residual): the backend's fused AddLayerNorm kernel when it has one. */
export function addLayerNorm(
  x: Tensor,
  residual: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): Tensor {
  if (engine.hasKernel(x.backend, 'AddLayerNorm')) {
    return engine.runKernel('AddLayerNorm', { x, residual, gamma, beta }, { epsilon });
  }
  return engine.tidy(() => layerNorm(add(x, residual), gamma, beta, epsilon));
}
