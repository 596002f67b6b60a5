import type { KernelBackend } from '../../backend/KernelBackend.js';
import type { DistilBertConfig } from '../../config/DistilBertConfig.js';
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
import { Linear } from '../nn/Linear.js';

/** logits [B, S, num_labels] = classifier(x) at every position. */
export class DistilBertForTokenClassification extends DistilBertPreTrainedModel {
  readonly architecture = 'DistilBertForTokenClassification';

  constructor(
    config: DistilBertConfig,
    backend: KernelBackend,
    loaded: LoadedWeights,
    readonly distilbert: DistilBertModel,
    readonly classifier: Linear,
  ) {
    super(config, backend, loaded);
  }

  static fromCheckpoint(
    config: DistilBertConfig,
    checkpoint: Checkpoint,
    backend: KernelBackend,
    options: FromCheckpointOptions = {},
  ): DistilBertForTokenClassification {
    return loadFromCheckpoint('DistilBertForTokenClassification', checkpoint, backend, options, (vb) => {
      const encoder = DistilBertModel.load(vb.pp('distilbert'), config);
      const cls = Linear.load(vb.pp('classifier'), config.dim, config.num_labels);
      return (loaded) => new DistilBertForTokenClassification(config, backend, loaded, encoder(loaded), cls);
    });
  }

  protected compute(inputs: InputTensors, options: ForwardOptions): ModelTensors {
    const out = this.distilbert.encode(inputs, options);
    return { ...out, logits: this.classifier.forward(out.last_hidden_state) };
  }
}
