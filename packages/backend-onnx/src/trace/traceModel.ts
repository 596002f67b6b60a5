import {
  type Checkpoint,
  type DistilBertPreTrainedModel,
  MODEL_CLASSES,
  type ModelOutput,
  type Tensor,
} from '@distilbert/core';
import { OnnxExportError } from '../errors.js';
import { type DimSymbol, pickSentinels } from '../graph/dims.js';
import { GraphBuilder, type Val } from '../graph/GraphBuilder.js';
import type { ModelProto } from '../graph/proto.js';
import { TracingBackend } from './TracingBackend.js';

export type OutputName = 'last_hidden_state' | 'logits' | 'start_logits' | 'end_logits';

export interface TraceOptions {
  /**
   * Outputs to emit. Default: what Optimum exports — `logits` (QA: `start_logits`, `end_logits`) for the
   * heads, `last_hidden_state` for the bare model.
   */
  outputs?: readonly OutputName[];
  /** Also emit `hidden_states.0` … `hidden_states.{n_layers}`. */
  hiddenStates?: boolean;
  /** Also emit `attentions.0` … (the model then runs core's composite attention). */
  attentions?: boolean;
  /** MLM only: take an int `positions` [num_positions] input and project only those flat rows. */
  positions?: boolean;
  /** Element type of input_ids / attention_mask (default int64, as transformers.js and Optimum feed them). */
  inputType?: 'int64' | 'int32';
  /** 'erf' (default, portable) or 'contrib' (com.microsoft Gelu, onnxruntime only). */
  gelu?: 'erf' | 'contrib';
  /** Default 17. */
  opset?: number;
}

export interface TracedGraph {
  model: ModelProto;
  inputNames: string[];
  outputNames: string[];
  /** The sentinel sizes the trace ran at. */
  symbols: readonly DimSymbol[];
}

/** Reads a weight tensor's float32 values (a backend-specific fast path, or `await tensor.data()`). */
export type WeightReader = (t: Tensor) => Float32Array | Promise<Float32Array>;

export function defaultOutputs(architecture: string): OutputName[] {
  if (architecture === 'DistilBertModel') return ['last_hidden_state'];
  if (architecture === 'DistilBertForQuestionAnswering') return ['start_logits', 'end_logits'];
  return ['logits'];
}

/**
 * Lowers a model to ONNX by running core's own forward on a tracing backend at sentinel sizes (primes no
 * model constant shares), so batch, sequence and position counts stay dynamic axes.
 */
export async function traceModel(
  model: DistilBertPreTrainedModel,
  options: TraceOptions = {},
  readWeight: WeightReader = async (t) => (await t.data()) as Float32Array,
): Promise<TracedGraph> {
  const config = model.config;
  const arch = model.architecture;
  if (options.positions && arch !== 'DistilBertForMaskedLM') {
    throw new OnnxExportError(`positions is only for DistilBertForMaskedLM, not ${arch}.`);
  }
  const hd = config.dim / config.n_heads;
  const constants = [
    config.dim,
    config.hidden_dim,
    config.vocab_size,
    config.n_heads,
    hd,
    config.num_labels,
    config.max_position_embeddings,
    2,
  ];
  const maxSeq = Math.min(config.max_position_embeddings, 500);
  const symbols = pickSentinels(['batch_size', 'sequence_length', 'num_positions'], constants, [
    1000,
    maxSeq,
    Math.min(400, maxSeq - 1),
  ]);
  const [B, S, N] = symbols.map((s) => s.sentinel);
  const g = new GraphBuilder({ symbols, opset: options.opset ?? 17 });
  const tracer = new TracingBackend(g, options.gelu ?? 'erf');

  const weights = model.namedWeights();
  const arrays = new Map<string, Float32Array>();
  for (const [name, t] of weights) arrays.set(name, await readWeight(t));
  const checkpoint: Checkpoint = {
    file: `${arch} (traced)`,
    format: 'safetensors',
    metadata: {},
    names: () => [...weights.keys()],
    info: (name) => ({ dtype: 'F32', shape: weights.get(name)?.shape ?? [] }),
    float32: (name) => {
      const a = arrays.get(name);
      if (!a) throw new OnnxExportError(`The model has no weight '${name}'.`);
      return a;
    },
    close: () => arrays.clear(),
  };
  const traced = MODEL_CLASSES[arch](config, checkpoint, tracer, { onWarning: () => {} });
  for (const [name, t] of traced.namedWeights()) tracer.nameWeight(t.dataId, name);

  const inputType = options.inputType ?? 'int64';
  const inputIds = g.input('input_ids', inputType, [B, S]);
  const attentionMask = g.input('attention_mask', inputType, [B, S]);
  const positions = options.positions ? g.input('positions', inputType, [N]) : undefined;
  const flatIds: Val = {
    name: g.op('Reshape', [inputIds.name, g.constInt64([-1])]),
    elem: inputType,
    shape: [B * S],
  };
  const seqScalar = g.op('Squeeze', [g.dimTensor(g.dim(S)), g.constInt64([0])]);
  const positionIds: Val = {
    name: g.op('Range', [g.constScalar('int64', 0), seqScalar, g.constScalar('int64', 1)]),
    elem: 'int64',
    shape: [S],
  };
  // The order in which DistilBertPreTrainedModel uploads its inputs.
  tracer.expectInputs([
    () => flatIds,
    () => attentionMask,
    () => positionIds,
    ...(positions ? [() => positions] : []),
  ]);

  let out: ModelOutput;
  try {
    out = await traced.forward(
      { input_ids: new Int32Array(B * S), shape: [B, S] },
      {
        output_hidden_states: !!options.hiddenStates,
        output_attentions: !!options.attentions,
        positions: positions ? Array.from({ length: N }, (_, i) => i) : undefined,
      },
    );
  } catch (error) {
    traced.dispose();
    tracer.dispose();
    throw error;
  }
  const outputNames: string[] = [];
  const emit = (name: string, t: Tensor | undefined) => {
    if (!t) throw new OnnxExportError(`${arch} has no output '${name}'.`);
    g.output(name, tracer.resolve(t));
    outputNames.push(name);
  };
  for (const name of options.outputs ?? defaultOutputs(arch)) emit(name, out[name]);
  if (options.hiddenStates)
    for (const [i, t] of (out.hidden_states ?? []).entries()) emit(`hidden_states.${i}`, t);
  if (options.attentions) for (const [i, t] of (out.attentions ?? []).entries()) emit(`attentions.${i}`, t);
  out.dispose();
  traced.dispose();
  tracer.dispose();
  return {
    model: g.toModel(),
    inputNames: ['input_ids', 'attention_mask', ...(positions ? ['positions'] : [])],
    outputNames,
    symbols,
  };
}
