import type { Activation } from '../../backend/kernels.js';
import { linear } from '../../ops/linear.js';
import type { Tensor } from '../../tensor/Tensor.js';
import type { VarBuilder } from '../VarBuilder.js';

/** torch.nn.Linear: weight [out, in], bias [out]. */
export class Linear {
  constructor(
    readonly weight: Tensor,
    readonly bias: Tensor | undefined,
  ) {}

  static load(vb: VarBuilder, inDim: number, outDim: number): Linear {
    return new Linear(vb.get('weight', [outDim, inDim]), vb.get('bias', [outDim]));
  }

  forward(x: Tensor, act: Activation = 'none'): Tensor {
    return linear(x, this.weight, this.bias, act);
  }
}
