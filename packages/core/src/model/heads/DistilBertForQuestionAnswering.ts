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

/** start_logits, end_logits [B, S] = qa_outputs(x)[..., 0], [..., 1]. */
export class DistilBertForQuestionAnswering extends DistilBertPreTrainedModel {
  readonly architecture = 'DistilBertForQuestionAnswering';

  constructor(
    config: DistilBertConfig,
    backend: KernelBackend,
    loaded: LoadedWeights,
    readonly distilbert: DistilBertModel,
    readonly qaOutputs: Linear,
  ) {
    super(config, backend, loaded);
  }

  static fromCheckpoint(
    config: DistilBertConfig,
    checkpoint: Checkpoint,
    backend: KernelBackend,
    options: FromCheckpointOptions = {},
  ): DistilBertForQuestionAnswering {
    return loadFromCheckpoint('DistilBertForQuestionAnswering', checkpoint, backend, options, (vb) => {
      const encoder = DistilBertModel.load(vb.pp('distilbert'), config);
      // HF's qa_outputs always has 2 outputs (start, end), whatever num_labels says.
      const qa = Linear.load(vb.pp('qa_outputs'), config.dim, 2);
      return (loaded) => new DistilBertForQuestionAnswering(config, backend, loaded, encoder(loaded), qa);
    });
  }

  protected compute(inputs: InputTensors, options: ForwardOptions): ModelTensors {
    const out = this.distilbert.encode(inputs, options);
    const { batch, seq } = inputs;
    const both = this.qaOutputs.forward(out.last_hidden_state);
    const column = (i: number) => reshape(slice(both, [0, 0, i], [batch, seq, 1]), [batch, seq]);
    return { ...out, start_logits: column(0), end_logits: column(1) };
  }
}
