/**
 * Hugging Face's WordPiece decoder: joins tokens with spaces, glues `##` pieces to the previous token and,
 * with `cleanup`, tidies each token's leading space before punctuation and contractions.
 */
export class WordPieceDecoder {
  constructor(
    readonly prefix = '##',
    readonly cleanup = true,
  ) {}

  decode(tokens: readonly string[]): string {
    let out = '';
    for (let i = 0; i < tokens.length; i++) {
      let t = tokens[i];
      if (i !== 0) t = t.startsWith(this.prefix) ? t.slice(this.prefix.length) : ` ${t}`;
      out += this.cleanup ? cleanupToken(t) : t;
    }
    return out;
  }
}

/** The library's per-token cleanup (decoders/wordpiece.rs). */
function cleanupToken(t: string): string {
  return t
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * transformers' `clean_up_tokenization` on the whole decoded string (`cleanUpTokenizationSpaces`):
 * `hello i ' m a role model .` becomes `hello i'm a role model.`
 */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
