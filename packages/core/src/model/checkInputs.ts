import type { DistilBertConfig } from '../config/DistilBertConfig.js';
import { InputError } from '../errors.js';
import type { ForwardOptions, ModelInputs } from './ModelOutput.js';

export interface CheckedInputs {
  batch: number;
  seq: number;
  ids: Int32Array;
  mask: Int32Array;
  positions?: Int32Array;
}

/** Validates inputs before anything is uploaded, so a bad id is an InputError, not a kernel failure. */
export function checkInputs(
  config: DistilBertConfig,
  inputs: ModelInputs,
  options: ForwardOptions,
): CheckedInputs {
  const shape = inputs.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InputError(`shape must be [batch, seq] with positive sizes, got ${JSON.stringify(shape)}.`);
  }
  const [batch, seq] = shape;
  if (seq > config.max_position_embeddings) {
    throw new InputError(
      `Input has ${seq} tokens but the model takes at most max_position_embeddings = ${config.max_position_embeddings}. ` +
        'Truncate it (tokenizer option truncation: true, maxLength) or split it into windows.',
    );
  }
  const ids = toInt32(inputs.input_ids, 'input_ids');
  if (ids.length !== batch * seq) {
    throw new InputError(
      `input_ids has ${ids.length} values; shape [${batch}, ${seq}] needs ${batch * seq}.`,
    );
  }
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= config.vocab_size) {
      throw new InputError(
        `input_ids[${i}] = ${ids[i]} is outside the vocabulary [0, ${config.vocab_size}). Was the input encoded with this model's tokenizer?`,
      );
    }
  }
  let mask: Int32Array;
  if (inputs.attention_mask === undefined) mask = new Int32Array(batch * seq).fill(1);
  else {
    mask = toInt32(inputs.attention_mask, 'attention_mask');
    if (mask.length !== batch * seq) {
      throw new InputError(
        `attention_mask has ${mask.length} values; shape [${batch}, ${seq}] needs ${batch * seq}.`,
      );
    }
  }
  let positions: Int32Array | undefined;
  if (options.positions !== undefined) {
    positions = Int32Array.from(options.positions);
    if (positions.length === 0) {
      throw new InputError(
        'positions is empty: pass at least one flat position, or omit it for every position.',
      );
    }
    for (let i = 0; i < positions.length; i++) {
      if (
        !(positions[i] >= 0 && positions[i] < batch * seq) ||
        positions[i] !== Number(options.positions[i])
      ) {
        throw new InputError(
          `positions[${i}] = ${options.positions[i]} is not a flat position in [0, ${batch * seq}).`,
        );
      }
    }
  }
  return { batch, seq, ids, mask, positions };
}

function toInt32(values: ArrayLike<number | bigint>, name: string): Int32Array {
  if (values instanceof Int32Array) return values;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InputError(`${name} must be an Int32Array.`);
  }
  return Int32Array.from(values as ArrayLike<number>, (v) => Number(v));
}
