import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import type { Tensor } from '../tensor/Tensor.js';
import { Linear } from './nn/Linear.js';
import type { VarBuilder } from './VarBuilder.js';

/** lin2(activation(lin1(x))); activation is the config's (exact-erf gelu, or relu). */
export class FFN {
  constructor(
    readonly lin1: Linear,
    readonly lin2: Linear,
    readonly activation: 'gelu' | 'relu',
  ) {}

  static load(vb: VarBuilder, config: DistilBertConfig): FFN {
    return new FFN(
      Linear.load(vb.pp('lin1'), config.dim, config.hidden_dim),
      Linear.load(vb.pp('lin2'), config.hidden_dim, config.dim),
      config.activation,
    );
  }

  forward(x: Tensor): Tensor {
    return this.lin2.forward(this.lin1.forward(x, this.activation));
  }
}
