import { loadModel, openSafetensors, saveSafetensors, type TensorToWrite } from '@distilbert/core';
import { resolveBackend } from '../pipeline.js';

export interface ForwardCommandOptions {
  model: string;
  backend?: string;
  inputs: string;
  out: string;
  revision?: string;
  weights?: string;
  hiddenStates?: boolean;
}

/**
 * `distilbert forward`: runs the model on input_ids/attention_mask (I32 or I64) from a safetensors file and
 * writes last_hidden_state and the head's outputs as float32, for comparison with Python.
 */
export async function forwardCommand(options: ForwardCommandOptions): Promise<string[]> {
  const inputs = await openSafetensors(options.inputs);
  if (!inputs.names().includes('input_ids')) {
    throw new Error(
      `${options.inputs} has no 'input_ids' tensor (found: ${inputs.names().join(', ') || 'none'}).`,
    );
  }
  const info = inputs.info('input_ids');
  if (info.shape.length !== 2)
    throw new Error(`input_ids must be [batch, seq], got [${info.shape.join(', ')}].`);
  const shape = [info.shape[0], info.shape[1]] as const;
  const input_ids = Int32Array.from(inputs.int32('input_ids'));
  const attention_mask = inputs.names().includes('attention_mask')
    ? Int32Array.from(inputs.int32('attention_mask'))
    : undefined;
  inputs.close();
  const backend = await resolveBackend(options.backend);
  const model = await loadModel(options.model, {
    backend,
    revision: options.revision,
    weights: options.weights,
  });
  try {
    const out = await model.forward(
      { input_ids, attention_mask, shape },
      { output_hidden_states: options.hiddenStates ?? false },
    );
    try {
      const tensors: Record<string, TensorToWrite> = {};
      const put = async (
        name: string,
        t: { shape: readonly number[]; data(): Promise<ArrayLike<number>> } | undefined,
      ) => {
        if (t) tensors[name] = { shape: t.shape, data: Float32Array.from(await t.data()) };
      };
      await put('last_hidden_state', out.last_hidden_state);
      await put('logits', out.logits);
      await put('start_logits', out.start_logits);
      await put('end_logits', out.end_logits);
      for (const [i, h] of (out.hidden_states ?? []).entries()) await put(`hidden_states.${i}`, h);
      await saveSafetensors(options.out, tensors, {
        format: 'pt',
        producer: '@distilbert/pipelines forward',
      });
      return Object.keys(tensors);
    } finally {
      out.dispose();
    }
  } finally {
    model.dispose();
  }
}
