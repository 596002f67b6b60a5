/** Every error this package throws: `code` is stable, the message says what to do. */
export class TokenizerError extends Error {
  constructor(
    readonly code:
      | 'INVALID_VOCAB'
      | 'MISSING_UNK_TOKEN'
      | 'INVALID_TOKENIZER_JSON'
      | 'UNSUPPORTED'
      | 'MAX_LENGTH_TOO_SMALL'
      | 'INVALID_OPTION'
      | 'SEQUENCE_TOO_SHORT'
      | 'RAGGED_BATCH'
      | 'INVALID_INPUT'
      | 'INVALID_ID',
    message: string,
  ) {
    super(message);
    this.name = 'TokenizerError';
  }
}
