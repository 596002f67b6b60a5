/** The tokens of one sequence (or pair) before special tokens: ids, UTF-16 offsets into its text, word index. */
export interface Sequence {
  ids: number[];
  starts: number[];
  ends: number[];
  words: number[];
}

/**
 * One encoded input, with Hugging Face field names. Offsets are [start, end) in UTF-16 code units (JavaScript
 * string indices) into the ORIGINAL string of the token's own sequence; special tokens and padding get [0, 0].
 */
export class Encoding {
  declare input_ids: number[];
  declare token_type_ids: number[];
  declare attention_mask: number[];
  /** 1 for tokens added by the post-processor ([CLS], [SEP]) and padding. */
  declare special_tokens_mask: number[];
  /** Index of the pre-tokenized word within its sequence; null for special tokens and padding. */
  declare word_ids: (number | null)[];
  /** 0 or 1; null for special tokens and padding. */
  declare sequence_ids: (number | null)[];
  /** Offsets as two parallel arrays (what `offsets` is built from). */
  declare offsetStarts: number[];
  declare offsetEnds: number[];
  /** Further windows when truncation with returnOverflowingTokens cut the input. */
  declare overflowing?: Encoding[];
  declare private readonly idToToken: readonly string[] | (() => readonly string[]);
  declare private cachedTokens: string[] | undefined;
  declare private cachedOffsets: [number, number][] | undefined;

  constructor(
    fields: Omit<
      Encoding,
      | 'tokens'
      | 'offsets'
      | 'length'
      | 'toJSON'
      | 'overflowing'
      | 'idToToken'
      | 'cachedTokens'
      | 'cachedOffsets'
    >,
    /** The id → token table, or a function giving it (built only when tokens are read). */
    idToToken: readonly string[] | (() => readonly string[]),
  ) {
    this.input_ids = fields.input_ids;
    this.token_type_ids = fields.token_type_ids;
    this.attention_mask = fields.attention_mask;
    this.special_tokens_mask = fields.special_tokens_mask;
    this.word_ids = fields.word_ids;
    this.sequence_ids = fields.sequence_ids;
    this.offsetStarts = fields.offsetStarts;
    this.offsetEnds = fields.offsetEnds;
    this.overflowing = undefined;
    this.idToToken = idToToken;
    this.cachedTokens = undefined;
    this.cachedOffsets = undefined;
  }

  get length(): number {
    return this.input_ids.length;
  }

  /** Token strings (`##` marks a continuation piece). */
  get tokens(): string[] {
    if (!this.cachedTokens) {
      const table = typeof this.idToToken === 'function' ? this.idToToken() : this.idToToken;
      this.cachedTokens = this.input_ids.map((id) => table[id]);
    }
    return this.cachedTokens;
  }

  /** [start, end) per token, UTF-16 code units into the original string of the token's sequence. */
  get offsets(): [number, number][] {
    this.cachedOffsets ??= this.offsetStarts.map((s, i) => [s, this.offsetEnds[i]]);
    return this.cachedOffsets;
  }

  /** Plain object with every field (what JSON.stringify writes). */
  toJSON(): EncodingJSON {
    return {
      input_ids: this.input_ids,
      tokens: this.tokens,
      token_type_ids: this.token_type_ids,
      attention_mask: this.attention_mask,
      special_tokens_mask: this.special_tokens_mask,
      offsets: this.offsets,
      word_ids: this.word_ids,
      sequence_ids: this.sequence_ids,
      ...(this.overflowing ? { overflowing: this.overflowing.map((e) => e.toJSON()) } : {}),
    };
  }
}

/** An Encoding as plain data. */
export interface EncodingJSON {
  input_ids: number[];
  tokens: string[];
  token_type_ids: number[];
  attention_mask: number[];
  special_tokens_mask: number[];
  offsets: [number, number][];
  word_ids: (number | null)[];
  sequence_ids: (number | null)[];
  overflowing?: EncodingJSON[];
}

/** Several inputs as one padded rectangle of typed arrays, plus the per-row encodings. */
export interface BatchEncoding {
  /** Row-major [batch, seq]. */
  input_ids: Int32Array;
  attention_mask: Int32Array;
  token_type_ids: Int32Array;
  special_tokens_mask: Int32Array;
  shape: [batch: number, seq: number];
  /** One per row (with returnOverflowingTokens, every window is a row). */
  encodings: Encoding[];
  /** With returnOverflowingTokens: the input index each row came from. */
  overflow_to_sample_mapping?: Int32Array;
}
