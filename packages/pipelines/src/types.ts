// The parts of the tokenizer and model the pipelines use, written structurally so that post-processing can
// be tested (and reused) without loading either. @distilbert/tokenizer's Encoding and BertTokenizer, and
// @distilbert/core's DistilBertPreTrainedModel, fit these shapes.

/** One encoded sequence (or pair), unpadded unless stated. Offsets are UTF-16 indices into the original text. */
export interface EncodingLike {
  input_ids: ArrayLike<number>;
  attention_mask: ArrayLike<number>;
  special_tokens_mask: ArrayLike<number>;
  tokens: readonly string[];
  offsets: ReadonlyArray<readonly [number, number]>;
  word_ids: ReadonlyArray<number | null>;
  sequence_ids: ReadonlyArray<number | null>;
  overflowing?: readonly EncodingLike[];
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  cleanUpTokenizationSpaces?: boolean;
}

/** What the pipelines need from a tokenizer. */
export interface TokenizerLike {
  encode(text: string, textPair?: string | null, options?: Record<string, unknown>): EncodingLike;
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  convertIdsToTokens(ids: ArrayLike<number>): string[];
  readonly maskTokenId?: number | null;
  readonly modelMaxLength?: number;
}

/** The ids and token strings of one tokenizer that post-processing looks at. */
export interface SpecialIds {
  pad: number;
  cls: number | null;
  unk: number | null;
  mask: number | null;
  maskToken: string;
}

export interface ModelConfigLike {
  id2label?: Readonly<Record<number | string, string>>;
  label2id?: Readonly<Record<string, number>>;
  problem_type?: string | null;
  num_labels?: number;
  max_position_embeddings?: number;
  pad_token_id?: number;
  architectures?: readonly string[];
}

export interface TensorLike {
  readonly shape: readonly number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

export interface ModelOutputLike {
  last_hidden_state: TensorLike;
  logits?: TensorLike;
  start_logits?: TensorLike;
  end_logits?: TensorLike;
  dispose(): void;
}

/** What the pipelines need from a model (@distilbert/core's DistilBertPreTrainedModel fits). */
export interface ModelLike {
  readonly config: ModelConfigLike;
  forward(
    inputs: { input_ids: Int32Array; attention_mask?: Int32Array; shape: readonly [number, number] },
    options?: { positions?: ArrayLike<number> },
  ): Promise<ModelOutputLike>;
  dispose(): void;
}
