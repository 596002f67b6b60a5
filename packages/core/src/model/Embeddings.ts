import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { sinusoidalTable } from '../config/DistilBertConfig.js';
import { engine } from '../engine/engine.js';
import { add, gather, reshape } from '../ops/ops.js';
import type { Tensor } from '../tensor/Tensor.js';
import { LayerNorm } from './nn/LayerNorm.js';
import type { VarBuilder } from './VarBuilder.js';

/** x = LayerNorm(word_embeddings[ids] + position_embeddings[0..S-1]); no token-type embeddings. */
export class Embeddings {
  constructor(
    readonly wordEmbeddings: Tensor,
    readonly positionEmbeddings: Tensor,
    readonly layerNorm: LayerNorm,
  ) {}

  static load(vb: VarBuilder, config: DistilBertConfig): Embeddings {
    const { vocab_size, max_position_embeddings: maxPos, dim } = config;
    const word = vb.get('word_embeddings.weight', [vocab_size, dim]);
    // Checkpoints store the sinusoidal table like any weight; generate it only when one does not.
    const pos =
      config.sinusoidal_pos_embds && !vb.has('position_embeddings.weight')
        ? vb.track(
            engine.makeTensor(vb.backend, sinusoidalTable(maxPos, dim), [maxPos, dim]),
            'position_embeddings.weight',
          )
        : vb.get('position_embeddings.weight', [maxPos, dim]);
    return new Embeddings(word, pos, LayerNorm.load(vb.pp('LayerNorm'), dim));
  }

  /** `ids` [B·S] int32 (already checked against the vocabulary), `positions` [S] int32 → [B, S, dim]. */
  forward(ids: Tensor, positions: Tensor, batch: number, seq: number): Tensor {
    const dim = this.wordEmbeddings.shape[1];
    const words = reshape(gather(this.wordEmbeddings, ids), [batch, seq, dim]);
    const pos = gather(this.positionEmbeddings, positions);
    return this.layerNorm.forward(add(words, pos));
  }
}
