import type { KernelBackend } from '../../backend/KernelBackend.js';
import type { DistilBertConfig } from '../../config/DistilBertConfig.js';
import { reshape, slice } from '../../ops/ops.js';
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

/**
 * logits [B, num_labels] = classifier(relu(pre_classifier(x[:, 0]))): the [CLS] position, ReLU, no tanh
 * pooler. The raw logits for every problem_type (softmax, sigmoid or none is the caller's choice).
 */
export class DistilBertForSequenceClassification extends DistilBertPreTrainedModel {
  readonly architecture = 'DistilBertForSequenceClassification';

  constructor(
    config: DistilBertConfig,
    backend: KernelBackend,
    loaded: LoadedWeights,
    readonly distilbert: DistilBertModel,
    readonly preClassifier: Linear,
    readonly classifier: Linear,
  ) {
    super(config, backend, loaded);
  }

  static fromCheckpoint(
    config: DistilBertConfig,
    checkpoint: Checkpoint,
    backend: KernelBackend,
    options: FromCheckpointOptions = {},
  ): DistilBertForSequenceClassification {
    return loadFromCheckpoint('DistilBertForSequenceClassification', checkpoint, backend, options, (vb) => {
      const encoder = DistilBertModel.load(vb.pp('distilbert'), config);
      const pre = Linear.load(vb.pp('pre_classifier'), config.dim, config.dim);
      const cls = Linear.load(vb.pp('classifier'), config.dim, config.num_labels);
      return (loaded) =>
        new DistilBertForSequenceClassification(config, backend, loaded, encoder(loaded), pre, cls);
    });
  }

  protected compute(inputs: InputTensors, options: ForwardOptions): ModelTensors {
    const out = this.distilbert.encode(inputs, options);
    const dim = this.config.dim;
    const first = reshape(slice(out.last_hidden_state, [0, 0, 0], [inputs.batch, 1, dim]), [
      inputs.batch,
      dim,
    ]);
    return { ...out, logits: this.classifier.forward(this.preClassifier.forward(first, 'relu')) };
  }
}
