// Character classes of Hugging Face `tokenizers` (normalizers/bert.rs, pre_tokenizers/bert.rs), by code point.
// The Rust library's Unicode tables are older than V8's, so the classes come from generated/unicode-tables.ts,
// read from the library itself; scripts/check-unicode.mjs re-checks every code point.
import {
  LOWERCASE_EXCEPTIONS,
  NFD_EXCEPTIONS,
  PRE_TOKENIZER_SPACE,
  PUNCTUATION,
  REMOVED,
  STRIPPED,
  WHITESPACE,
} from './generated/unicode-tables.js';

function inRanges(ranges: Uint32Array, cp: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Deleted by clean_text: NUL, U+FFFD, control/format/private-use characters (not tab, LF, CR), lone surrogates. */
export function isRemovedByCleanText(cp: number): boolean {
  return (cp >= 0xd800 && cp <= 0xdfff) || inRanges(REMOVED, cp);
}

/** Mapped to ' ' by clean_text. */
export function isCleanTextWhitespace(cp: number): boolean {
  return cp === 0x20 || inRanges(WHITESPACE, cp);
}

/** Whitespace for BertPreTokenizer (Rust `char::is_whitespace`). */
export function isWhitespace(cp: number): boolean {
  return inRanges(PRE_TOKENIZER_SPACE, cp);
}

/** BERT's punctuation: ASCII punctuation (which includes $ + < = > ^ ` | ~) or Unicode category P*. */
export function isPunctuation(cp: number): boolean {
  return inRanges(PUNCTUATION, cp);
}

/** CJK ideograph blocks that BertNormalizer surrounds with spaces (ranges exactly as in tokenizers). */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** NFD of one code point, as the library computes it. */
export function nfd(cp: number): string {
  return NFD_EXCEPTIONS.get(cp) ?? String.fromCodePoint(cp).normalize('NFD');
}

/** Removed by strip_accents after NFD (nonspacing marks in the library's tables). */
export function isStripped(cp: number): boolean {
  return inRanges(STRIPPED, cp);
}

/** NFD, then nonspacing marks removed: `strip_accents` of one code point. */
export function stripAccents(cp: number): string {
  let out = '';
  for (const ch of nfd(cp)) if (!isStripped(ch.codePointAt(0)!)) out += ch;
  return out;
}

/**
 * Lower-cases code point by code point, as Rust's `char::to_lowercase` does. `String#toLowerCase` on a whole
 * string applies the final-sigma rule (Σ at a word end becomes ς); Hugging Face always gives σ.
 */
export function lowercasePerCodePoint(s: string): string {
  let out = '';
  for (const ch of s) out += LOWERCASE_EXCEPTIONS.get(ch.codePointAt(0)!) ?? ch.toLowerCase();
  return out;
}
