import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { attention } from '../ops/attention.js';
import type { Tensor } from '../tensor/Tensor.js';
import { Linear } from './nn/Linear.js';
import type { VarBuilder } from './VarBuilder.js';

export class MultiHeadSelfAttention {
  constructor(
    readonly qLin: Linear,
    readonly kLin: Linear,
    readonly vLin: Linear,
    readonly outLin: Linear,
    readonly numHeads: number,
  ) {}

  static load(vb: VarBuilder, config: DistilBertConfig): MultiHeadSelfAttention {
    const d = config.dim;
    return new MultiHeadSelfAttention(
      Linear.load(vb.pp('q_lin'), d, d),
      Linear.load(vb.pp('k_lin'), d, d),
      Linear.load(vb.pp('v_lin'), d, d),
      Linear.load(vb.pp('out_lin'), d, d),
      config.n_heads,
    );
  }

  /** x [B, S, dim], mask [B, S] → out_lin(context) and, when asked, the weights [B, H, S, S]. */
  forward(x: Tensor, mask: Tensor, outputAttentions: boolean): { output: Tensor; weights?: Tensor } {
    const { context, weights } = attention(
      this.qLin.forward(x),
      this.kLin.forward(x),
      this.vLin.forward(x),
      mask,
      this.numHeads,
      outputAttentions,
    );
    return { output: this.outLin.forward(context), weights };
  }
}
