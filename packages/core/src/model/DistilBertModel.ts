import type { KernelBackend } from '../backend/KernelBackend.js';
import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { engine } from '../engine/engine.js';
import type { Checkpoint } from '../weights/Checkpoint.js';
import {
  DistilBertPreTrainedModel,
  type FromCheckpointOptions,
  type InputTensors,
  loadFromCheckpoint,
} from './DistilBertPreTrainedModel.js';
import { Embeddings } from './Embeddings.js';
import type { LoadedWeights } from './LoadedWeights.js';
import type { ForwardOptions } from './ModelOutput.js';
import { Transformer, type TransformerOutput } from './Transformer.js';
import type { VarBuilder } from './VarBuilder.js';

/** The bare encoder: embeddings + transformer → last_hidden_state [B, S, dim]. */
export class DistilBertModel extends DistilBertPreTrainedModel {
  readonly architecture = 'DistilBertModel';

  constructor(
    config: DistilBertConfig,
    backend: KernelBackend,
    loaded: LoadedWeights,
    readonly embeddings: Embeddings,
    readonly transformer: Transformer,
  ) {
    super(config, backend, loaded);
  }

  /** Loads the encoder weights under `vb` (whose keys may or may not carry the `distilbert.` prefix). */
  static load(vb: VarBuilder, config: DistilBertConfig): (loaded: LoadedWeights) => DistilBertModel {
    const embeddings = Embeddings.load(vb.pp('embeddings'), config);
    const transformer = Transformer.load(vb.pp('transformer'), config);
    return (loaded) => new DistilBertModel(config, vb.backend, loaded, embeddings, transformer);
  }

  static fromCheckpoint(
    config: DistilBertConfig,
    checkpoint: Checkpoint,
    backend: KernelBackend,
    options: FromCheckpointOptions = {},
  ): DistilBertModel {
    return loadFromCheckpoint('DistilBertModel', checkpoint, backend, options, (vb) =>
      DistilBertModel.load(vb, config),
    );
  }

  /** Embeddings then every layer; what the heads build on. */
  encode(inputs: InputTensors, options: ForwardOptions): TransformerOutput {
    // Its own tidy, so the gathered rows are freed before the layers run.
    const x = engine.tidy(() =>
      this.embeddings.forward(inputs.ids, inputs.positionIds, inputs.batch, inputs.seq),
    );
    return this.transformer.forward(
      x,
      inputs.mask,
      !!options.output_hidden_states,
      !!options.output_attentions,
    );
  }

  protected compute(inputs: InputTensors, options: ForwardOptions): TransformerOutput {
    return this.encode(inputs, options);
  }
}
