/**
 * The fast tokenizer's WordPiece decoder (`convert_tokens_to_string` in Python): `##` pieces join the previous
 * token, other tokens get a leading space, and each token is cleaned up (" ." → "." ...).
 */
export function convertTokensToString(tokens: readonly string[], prefix = '##', cleanup = true): string {
  return tokens
    .map((token, i) => {
      if (i !== 0) token = token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
      return cleanup ? cleanUpTokenization(token) : token;
    })
    .join('');
}

/** Python's `clean_up_tokenization`. */
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
