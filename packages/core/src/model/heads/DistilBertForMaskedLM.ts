import type { KernelBackend } from '../../backend/KernelBackend.js';
import type { DistilBertConfig } from '../../config/DistilBertConfig.js';
import { gather, reshape } from '../../ops/ops.js';
import type { Checkpoint } from '../../weights/Checkpoint.js';
import { DistilBertModel } from '../DistilBertModel.js';
import {
  DistilBertPreTrainedModel,
  type FromCheckpointOptions,
  type InputTensors,
  loadFromCheckpoint,
} from '../DistilBertPreTrainedModel.js';
import type { LoadedWeights } from '../LoadedWeights.js';
import type { ForwardOptions, ModelTensors } from '../ModelOutput.js';
import { LayerNorm } from '../nn/LayerNorm.js';
import { Linear } from '../nn/Linear.js';

/**
 * logits = vocab_layer_norm(act(vocab_transform(x))) · word_embeddingsᵀ + vocab_projector.bias.
 * The projector is tied to the word embeddings (never read from the checkpoint). With `positions`,
 * only those rows are projected: fill-mask needs the [MASK] rows, not [B, S, 30522].
 */
export class DistilBertForMaskedLM extends DistilBertPreTrainedModel {
  readonly architecture = 'DistilBertForMaskedLM';

  constructor(
    config: DistilBertConfig,
    backend: KernelBackend,
    loaded: LoadedWeights,
    readonly distilbert: DistilBertModel,
    readonly vocabTransform: Linear,
    readonly vocabLayerNorm: LayerNorm,
    readonly vocabProjector: Linear,
  ) {
    super(config, backend, loaded);
  }

  static fromCheckpoint(
    config: DistilBertConfig,
    checkpoint: Checkpoint,
    backend: KernelBackend,
    options: FromCheckpointOptions = {},
  ): DistilBertForMaskedLM {
    return loadFromCheckpoint('DistilBertForMaskedLM', checkpoint, backend, options, (vb) => {
      const encoder = DistilBertModel.load(vb.pp('distilbert'), config);
      const transform = Linear.load(vb.pp('vocab_transform'), config.dim, config.dim);
      const layerNorm = LayerNorm.load(vb.pp('vocab_layer_norm'), config.dim);
      const bias = vb.get('vocab_projector.bias', [config.vocab_size]);
      vb.tie('vocab_projector.weight', 'distilbert.embeddings.word_embeddings.weight');
      return (loaded) => {
        const distilbert = encoder(loaded);
        const projector = new Linear(distilbert.embeddings.wordEmbeddings, bias);
        return new DistilBertForMaskedLM(
          config,
          backend,
          loaded,
          distilbert,
          transform,
          layerNorm,
          projector,
        );
      };
    });
  }

  protected compute(inputs: InputTensors, options: ForwardOptions): ModelTensors {
    const out = this.distilbert.encode(inputs, options);
    const { batch, seq } = inputs;
    const dim = this.config.dim;
    const flat = reshape(out.last_hidden_state, [batch * seq, dim]);
    const rows = inputs.positions ? gather(flat, inputs.positions) : flat;
    const h = this.vocabLayerNorm.forward(this.vocabTransform.forward(rows, this.config.activation));
    const logits = this.vocabProjector.forward(h);
    return {
      ...out,
      logits: inputs.positions ? logits : reshape(logits, [batch, seq, this.config.vocab_size]),
    };
  }
}
