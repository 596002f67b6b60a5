import { PipelineError } from '../errors.js';
import type { EncodingLike, ModelLike, ModelOutputLike, SpecialIds, TokenizerLike } from '../types.js';
import { type PaddedBatch, padBatch, planBatches } from '../util/batching.js';

export interface PipelineRuntimeOptions {
  /** Rows per forward pass (default 8). Rows are sorted by length so each batch pads little. */
  batchSize?: number;
  /** Where truncation and target warnings go (default console.warn). */
  warn?: (message: string) => void;
}

/** Shared parts of every task: tokenizer access, the length check, and batched forward passes. */
export abstract class Pipeline {
  abstract readonly task: string;
  readonly special: SpecialIds;
  readonly batchSize: number;
  protected readonly warn: (message: string) => void;

  constructor(
    readonly model: ModelLike,
    readonly tokenizer: TokenizerLike,
    options: PipelineRuntimeOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 8;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new PipelineError(
        'BAD_PIPELINE_INPUT',
        `batchSize must be a positive integer (got ${this.batchSize}).`,
      );
    }
    this.warn = options.warn ?? ((m) => console.warn(m));
    const lookup = tokenLookup(tokenizer);
    const mask = tokenizer.maskTokenId ?? lookup('[MASK]') ?? null;
    this.special = {
      pad: lookup('[PAD]') ?? model.config.pad_token_id ?? 0,
      cls: lookup('[CLS]') ?? null,
      unk: lookup('[UNK]') ?? null,
      mask,
      maskToken: mask === null ? '[MASK]' : tokenizer.convertIdsToTokens([mask])[0],
    };
  }

  /** The most tokens one row may have: the tokenizer's model_max_length, capped by the position table. */
  get maxLength(): number {
    const positions = this.model.config.max_position_embeddings ?? 512;
    const tok = this.tokenizer.modelMaxLength;
    return tok && tok > 0 && tok < positions ? tok : positions;
  }

  /**
   * Encodes without truncation and fails on rows the model cannot take, as Python does for this task (its
   * model raises an index error); `truncation: true` cuts to the maximum instead.
   */
  protected encodeChecked(text: string, pair: string | null, truncation: boolean | undefined): EncodingLike {
    if (truncation) return this.tokenizer.encode(text, pair, { truncation: true, maxLength: this.maxLength });
    const enc = this.tokenizer.encode(text, pair);
    if (enc.input_ids.length > this.maxLength) {
      throw new PipelineError(
        'INPUT_TOO_LONG',
        `The input is ${enc.input_ids.length} tokens, more than this model's maximum of ${this.maxLength}. Shorten it or pass { truncation: true } to cut it (Python's ${this.task} pipeline fails here too).`,
      );
    }
    return enc;
  }

  /** Encodes with truncation to the maximum length, warning when something was cut (Python cuts silently). */
  protected encodeTruncating(text: string, pair: string | null, strategy: string): EncodingLike {
    const enc = this.tokenizer.encode(text, pair);
    if (enc.input_ids.length <= this.maxLength) return enc;
    this.warn(
      `[distilbert] ${this.task}: input of ${enc.input_ids.length} tokens truncated to ${this.maxLength} (${strategy}), as Python does.`,
    );
    return this.tokenizer.encode(text, pair, { truncation: strategy, maxLength: this.maxLength });
  }

  /**
   * Runs the model over `rows` in length-sorted, dynamically padded batches and returns `extract`'s result
   * for every row, in the input order.
   */
  protected async forwardRows<R>(
    rows: readonly EncodingLike[],
    extract: (output: ModelOutputLike, batch: PaddedBatch, rows: number[]) => Promise<R[]>,
    forwardOptions?: (batch: PaddedBatch, rows: number[]) => { positions?: ArrayLike<number> },
  ): Promise<R[]> {
    const results = new Array<R>(rows.length);
    for (const indices of planBatches(
      rows.map((r) => r.input_ids.length),
      this.batchSize,
    )) {
      const batch = padBatch(
        indices.map((i) => rows[i]),
        this.special.pad,
      );
      const output = await this.model.forward(batch, forwardOptions?.(batch, indices));
      try {
        const values = await extract(output, batch, indices);
        indices.forEach((row, j) => {
          results[row] = values[j];
        });
      } finally {
        output.dispose();
      }
    }
    return results;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Token → id through whichever lookup the tokenizer offers (vocab Map/Record or convertTokensToIds). */
export function tokenLookup(tokenizer: TokenizerLike): (token: string) => number | undefined {
  const t = tokenizer as TokenizerLike & {
    vocab?: Map<string, number> | Record<string, number>;
    convertTokensToIds?: (tokens: string[]) => ArrayLike<number | null | undefined>;
  };
  const vocab = t.vocab;
  if (vocab instanceof Map) return (token) => vocab.get(token);
  if (vocab && typeof vocab === 'object') {
    return (token) => (Object.hasOwn(vocab, token) ? vocab[token] : undefined);
  }
  if (t.convertTokensToIds) {
    return (token) => t.convertTokensToIds?.([token])[0] ?? undefined;
  }
  return () => undefined;
}

/** Reads a [rows, ...] tensor and returns row `r`'s values. */
export async function rowsOf(tensor: { shape: readonly number[]; data(): Promise<ArrayLike<number>> }) {
  const data = await tensor.data();
  const stride = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  return (r: number) => (data as Float32Array).subarray(r * stride, (r + 1) * stride);
}
