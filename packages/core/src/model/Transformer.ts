import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { engine } from '../engine/engine.js';
import { reshape } from '../ops/ops.js';
import type { Tensor } from '../tensor/Tensor.js';
import { TransformerBlock } from './TransformerBlock.js';
import type { VarBuilder } from './VarBuilder.js';

export interface TransformerOutput {
  last_hidden_state: Tensor;
  /** Embedding output, then each layer's output (n_layers + 1), when asked. */
  hidden_states?: Tensor[];
  /** Each layer's attention weights [B, H, S, S], when asked. */
  attentions?: Tensor[];
}

export class Transformer {
  constructor(readonly layers: readonly TransformerBlock[]) {}

  static load(vb: VarBuilder, config: DistilBertConfig): Transformer {
    const layer = vb.pp('layer');
    return new Transformer(
      Array.from({ length: config.n_layers }, (_, i) => TransformerBlock.load(layer.pp(`${i}`), config)),
    );
  }

  forward(
    x: Tensor,
    mask: Tensor,
    outputHiddenStates: boolean,
    outputAttentions: boolean,
  ): TransformerOutput {
    const hidden: Tensor[] = [];
    const attentions: Tensor[] = [];
    const input = x;
    for (const layer of this.layers) {
      // A view per list entry, so disposing last_hidden_state leaves hidden_states intact and vice versa.
      if (outputHiddenStates) hidden.push(reshape(x, x.shape));
      const prev = x;
      // A tidy per layer: its intermediates (scores, FFN hidden, ...) are freed before the next layer runs,
      // so a forward holds one layer's activations rather than all of them.
      const { output, weights } = engine.tidy(() => layer.forward(prev, mask, outputAttentions));
      if (weights) attentions.push(weights);
      // The previous layer's output is no longer needed (a hidden_states view keeps its buffer alive).
      if (prev !== input) prev.dispose();
      x = output;
    }
    if (outputHiddenStates) hidden.push(reshape(x, x.shape));
    return {
      last_hidden_state: x,
      ...(outputHiddenStates ? { hidden_states: hidden } : {}),
      ...(outputAttentions ? { attentions } : {}),
    };
  }
}
