import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import type { Tensor } from '../tensor/Tensor.js';
import { FFN } from './FFN.js';
import { MultiHeadSelfAttention } from './MultiHeadSelfAttention.js';
import { LayerNorm } from './nn/LayerNorm.js';
import type { VarBuilder } from './VarBuilder.js';

/** Post-LN layer: h = sa_layer_norm(attn(x) + x); out = output_layer_norm(ffn(h) + h). */
export class TransformerBlock {
  constructor(
    readonly attention: MultiHeadSelfAttention,
    readonly saLayerNorm: LayerNorm,
    readonly ffn: FFN,
    readonly outputLayerNorm: LayerNorm,
  ) {}

  static load(vb: VarBuilder, config: DistilBertConfig): TransformerBlock {
    return new TransformerBlock(
      MultiHeadSelfAttention.load(vb.pp('attention'), config),
      LayerNorm.load(vb.pp('sa_layer_norm'), config.dim),
      FFN.load(vb.pp('ffn'), config),
      LayerNorm.load(vb.pp('output_layer_norm'), config.dim),
    );
  }

  forward(x: Tensor, mask: Tensor, outputAttentions: boolean): { output: Tensor; weights?: Tensor } {
    const { output: attn, weights } = this.attention.forward(x, mask, outputAttentions);
    const h = this.saLayerNorm.forwardResidual(attn, x);
    return { output: this.outputLayerNorm.forwardResidual(this.ffn.forward(h), h), weights };
  }
}
