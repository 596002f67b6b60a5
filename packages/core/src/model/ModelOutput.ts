import type { Tensor } from '../tensor/Tensor.js';

/** What `forward` takes. DistilBERT has no segment embeddings: `token_type_ids` is accepted and ignored. */
export interface ModelInputs {
  /** [batch · seq] token ids, row-major. */
  input_ids: Int32Array;
  /** [batch · seq], 1 = real token, 0 = padding (masked as a key). Default: all ones. */
  attention_mask?: Int32Array;
  token_type_ids?: Int32Array;
  shape: readonly [batch: number, seq: number];
}

export interface ForwardOptions {
  /** Return the embedding output and every layer's output (n_layers + 1 tensors [B, S, dim]). */
  output_hidden_states?: boolean;
  /** Return every layer's attention weights [B, n_heads, S, S]. */
  output_attentions?: boolean;
  /** DistilBertForMaskedLM only: flat positions b·seq+s whose vocabulary logits are wanted → logits [N, vocab]. */
  positions?: ArrayLike<number>;
}

/** Python's ModelOutput: every tensor the model returned. `dispose()` frees all of them. */
export interface ModelOutput {
  last_hidden_state: Tensor;
  logits?: Tensor;
  start_logits?: Tensor;
  end_logits?: Tensor;
  hidden_states?: Tensor[];
  attentions?: Tensor[];
  dispose(): void;
}

export type ModelTensors = Omit<ModelOutput, 'dispose'>;

/** Wraps the tensors a forward returned with a `dispose()` that frees each of them once. */
export function makeModelOutput(tensors: ModelTensors): ModelOutput {
  return {
    ...tensors,
    dispose() {
      const all = [
        tensors.last_hidden_state,
        tensors.logits,
        tensors.start_logits,
        tensors.end_logits,
        ...(tensors.hidden_states ?? []),
        ...(tensors.attentions ?? []),
      ];
      for (const t of all) t?.dispose();
    },
  };
}
