import { WordPieceDecoder } from '@distilbert/tokenizer';

/**
 * The fast tokenizer's `convert_tokens_to_string` in Python: HF's WordPiece decoder (`##` pieces join the
 * previous token, other tokens get a leading space, each token is cleaned up: " ." → "." ...).
 */
export function convertTokensToString(tokens: readonly string[], prefix = '##', cleanup = true): string {
  return new WordPieceDecoder(prefix, cleanup).decode(tokens);
}
