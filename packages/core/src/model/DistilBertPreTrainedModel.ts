import type { KernelBackend } from '../backend/KernelBackend.js';
import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { engine } from '../engine/engine.js';
import { DisposedTensorError, InputError } from '../errors.js';
import type { Tensor } from '../tensor/Tensor.js';
import type { Checkpoint } from '../weights/Checkpoint.js';
import { type CheckedInputs, checkInputs } from './checkInputs.js';
import { LoadedWeights } from './LoadedWeights.js';
import {
  type ForwardOptions,
  type ModelInputs,
  type ModelOutput,
  type ModelTensors,
  makeModelOutput,
} from './ModelOutput.js';
import { VarBuilder } from './VarBuilder.js';

export type ArchitectureName =
  | 'DistilBertModel'
  | 'DistilBertForMaskedLM'
  | 'DistilBertForSequenceClassification'
  | 'DistilBertForTokenClassification'
  | 'DistilBertForQuestionAnswering';

/** Input tensors of one forward, uploaded to the model's backend (freed with the forward's tidy). */
export interface InputTensors {
  batch: number;
  seq: number;
  /** [B·S] int32 */
  ids: Tensor;
  /** [B, S] int32 */
  mask: Tensor;
  /** [S] int32: 0..S-1, the same for every row. */
  positionIds: Tensor;
  /** [N] int32, MLM `positions` */
  positions?: Tensor;
}

export interface FromCheckpointOptions {
  /** Receives Python-style notes (unused checkpoint keys). Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** The shared part of every DistilBERT class: config, backend, weights, input checks and `forward`. */
export abstract class DistilBertPreTrainedModel {
  abstract readonly architecture: ArchitectureName;

  protected constructor(
    readonly config: DistilBertConfig,
    readonly backend: KernelBackend,
    protected readonly loaded: LoadedWeights,
  ) {}

  /** Checkpoint keys this model did not use, as Python's `unexpected_keys`. */
  get unexpectedKeys(): readonly string[] {
    return this.loaded.unexpectedKeys;
  }

  get isDisposed(): boolean {
    return this.loaded.isDisposed;
  }

  /**
   * The weights by HF state-dict name, as `model.state_dict()` (encoder keys carry `distilbert.` in the
   * heads; the tied `vocab_projector.weight` is the word-embedding tensor). For exporters and graph
   * backends; the tensors belong to the model.
   */
  namedWeights(): ReadonlyMap<string, Tensor> {
    return this.loaded.named;
  }

  /**
   * Runs the model. Input ids are checked against the vocabulary and the length against
   * max_position_embeddings (InputError). The returned tensors belong to the caller: `output.dispose()`.
   */
  async forward(inputs: ModelInputs, options: ForwardOptions = {}): Promise<ModelOutput> {
    if (this.isDisposed) throw new DisposedTensorError(`${this.architecture} (model.dispose() was called)`);
    const checked = checkInputs(this.config, inputs, options);
    if (checked.positions && this.architecture !== 'DistilBertForMaskedLM') {
      throw new InputError(`positions is only for DistilBertForMaskedLM, not ${this.architecture}.`);
    }
    if (this.backend.runModel) {
      const normalised: ModelInputs = {
        input_ids: checked.ids,
        attention_mask: checked.mask,
        shape: [checked.batch, checked.seq],
      };
      return this.backend.runModel(this, normalised, options);
    }
    const tensors = engine.tidy(() => this.compute(this.#upload(checked), options));
    return makeModelOutput(tensors);
  }

  /** Frees this model's weights (only its own: other models on the same backend keep working). */
  dispose(): void {
    this.loaded.dispose();
  }

  /** The graph, on uploaded inputs. Runs inside a tidy: every tensor not returned is freed. */
  protected abstract compute(inputs: InputTensors, options: ForwardOptions): ModelTensors;

  #upload(c: CheckedInputs): InputTensors {
    const positionIds = new Int32Array(c.seq);
    for (let i = 0; i < c.seq; i++) positionIds[i] = i;
    const make = (values: Int32Array, shape: number[]) =>
      engine.makeTensor(this.backend, values, shape, 'int32');
    return {
      batch: c.batch,
      seq: c.seq,
      ids: make(c.ids, [c.batch * c.seq]),
      mask: make(c.mask, [c.batch, c.seq]),
      positionIds: make(positionIds, [c.seq]),
      positions: c.positions ? make(c.positions, [c.positions.length]) : undefined,
    };
  }
}

/**
 * Shared body of every `fromCheckpoint`: loads through a VarBuilder, reports all missing keys at once,
 * notes the unused ones, then constructs the model.
 */
export function loadFromCheckpoint<T>(
  name: ArchitectureName,
  checkpoint: Checkpoint,
  backend: KernelBackend,
  options: FromCheckpointOptions,
  build: (vb: VarBuilder) => (loaded: LoadedWeights) => T,
): T {
  const vb = new VarBuilder(checkpoint, backend);
  let construct: (loaded: LoadedWeights) => T;
  try {
    construct = build(vb);
  } catch (error) {
    vb.abort();
    throw error;
  }
  const { tensors, named, unexpectedKeys } = vb.finish(name);
  if (unexpectedKeys.length > 0) {
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    warn(
      `Some weights of the model checkpoint at ${checkpoint.file} were not used when initializing ${name}: ` +
        `[${unexpectedKeys.join(', ')}]. This is expected when the checkpoint was trained for another task ` +
        '(e.g. loading a DistilBertForMaskedLM checkpoint into a classifier).',
    );
  }
  return construct(new LoadedWeights(tensors, unexpectedKeys, named));
}
