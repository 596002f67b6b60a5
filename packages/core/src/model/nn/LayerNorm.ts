import { addLayerNorm } from '../../ops/addLayerNorm.js';
import { layerNorm } from '../../ops/ops.js';
import type { Tensor } from '../../tensor/Tensor.js';
import type { VarBuilder } from '../VarBuilder.js';

/** HF hard-codes eps 1e-12 for every DistilBERT LayerNorm; it is not in config.json. */
export const LAYER_NORM_EPS = 1e-12;

export class LayerNorm {
  constructor(
    readonly weight: Tensor,
    readonly bias: Tensor,
  ) {}

  static load(vb: VarBuilder, dim: number): LayerNorm {
    return new LayerNorm(vb.get('weight', [dim]), vb.get('bias', [dim]));
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, LAYER_NORM_EPS);
  }

  /** LayerNorm(x + residual), fused when the backend can. */
  forwardResidual(x: Tensor, residual: Tensor): Tensor {
    return addLayerNorm(x, residual, this.weight, this.bias, LAYER_NORM_EPS);
  }
}
