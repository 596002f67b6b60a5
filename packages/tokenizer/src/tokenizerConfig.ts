import type { BertTokenizerOptions } from './BertTokenizer.js';
import type { PackedVocab } from './WordPiece.js';

/** The parts of Hugging Face's tokenizer.json that a BERT tokenizer uses. */
export interface TokenizerJson {
  model?: {
    type?: string;
    vocab?: Record<string, number>;
    unk_token?: string;
    continuing_subword_prefix?: string;
    max_input_chars_per_word?: number;
  };
  normalizer?: {
    type: string;
    clean_text?: boolean;
    handle_chinese_chars?: boolean;
    strip_accents?: boolean | null;
    lowercase?: boolean;
  } | null;
  pre_tokenizer?: { type: string } | null;
  post_processor?: Record<string, unknown> | null;
  decoder?: { type: string; prefix?: string; cleanup?: boolean } | null;
  added_tokens?: { id: number; content: string; special?: boolean; lstrip?: boolean; rstrip?: boolean }[];
}

type Json = Record<string, unknown>;
type TokenValue = string | { content?: string } | undefined;

/**
 * Options from tokenizer_config.json and special_tokens_map.json (transformers' names), with `overrides`
 * (fields that are not undefined) on top.
 */
export function optionsFromConfig(
  config: Json | null,
  specialTokensMap: Json | null,
  overrides: BertTokenizerOptions,
): BertTokenizerOptions {
  const str = (v: unknown) => (typeof v === 'string' ? v : (v as TokenValue & object)?.content);
  const pick = (k: string) => str(config?.[k]) ?? str(specialTokensMap?.[k]);
  const c = (config ?? {}) as {
    do_lower_case?: boolean;
    strip_accents?: boolean | null;
    tokenize_chinese_chars?: boolean;
    model_max_length?: number;
    padding_side?: 'right' | 'left';
    truncation_side?: 'right' | 'left';
    clean_up_tokenization_spaces?: boolean;
  };
  const out: BertTokenizerOptions = {
    doLowerCase: c.do_lower_case,
    stripAccents: c.strip_accents,
    tokenizeChineseChars: c.tokenize_chinese_chars,
    // transformers writes 1e30 when a model has no limit.
    modelMaxLength:
      typeof c.model_max_length === 'number' && c.model_max_length < 1e9 ? c.model_max_length : undefined,
    unkToken: pick('unk_token'),
    clsToken: pick('cls_token'),
    sepToken: pick('sep_token'),
    padToken: pick('pad_token'),
    maskToken: pick('mask_token'),
    paddingSide: c.padding_side,
    truncationSide: c.truncation_side,
    cleanUpTokenizationSpaces: c.clean_up_tokenization_spaces,
  };
  const merged: Record<string, unknown> = {};
  for (const [k, v] of [...Object.entries(out), ...Object.entries(overrides)])
    if (v !== undefined) merged[k] = v;
  return merged as BertTokenizerOptions;
}

/**
 * Parses tokenizer.json text. The 30k-entry `model.vocab` object is read by a small scanner into a
 * PackedVocab (offsets into the text, in file order, no string per token) and JSON.parse sees the rest with an
 * empty vocab: parsing it into an object and iterating its keys costs several times as long. Anything
 * unexpected falls back to plain JSON.parse.
 */
export function parseTokenizerJson(text: string): { json: TokenizerJson; vocab: PackedVocab | null } {
  const model = text.indexOf('"model"');
  const key = model < 0 ? -1 : text.indexOf('"vocab"', model);
  const open = key < 0 ? -1 : text.indexOf('{', key);
  if (open < 0 || !/^"vocab"\s*:\s*$/.test(text.slice(key, open)))
    return { json: JSON.parse(text), vocab: null };
  const scanned = scanVocab(text, open + 1);
  if (!scanned) return { json: JSON.parse(text), vocab: null };
  const json = JSON.parse(`${text.slice(0, open)}{}${text.slice(scanned.next)}`) as TokenizerJson;
  return { json, vocab: scanned.vocab };
}

/**
 * Reads `"token": id` pairs from `i` (just past the `{`) to the closing `}`. Tokens with escapes are decoded and
 * appended after the text, so every entry is a range of one string. Null when the object is not that simple.
 * Keys are found with indexOf, and the whitespace between entries (the same in every line of a formatted file)
 * is compared in one startsWith: the loop runs mostly before V8 optimizes it, so it does little per character.
 */
function scanVocab(text: string, i: number): { vocab: PackedVocab; next: number } | null {
  const n = text.length;
  let cap = 1024;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let ids = new Int32Array(cap);
  let count = 0;
  let decoded = '';
  let backslash = text.indexOf('\\', i);
  if (backslash < 0) backslash = n;
  /** What separated the last two entries, from the comma to the next key's quote. */
  let gap = '';
  let c = text.charCodeAt(i);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  if (c === 125 /* } */) return { vocab: { text, starts, ends, ids, count }, next: i + 1 };
  if (c !== 34 /* " */) return null;
  for (;;) {
    // i is at the opening quote of a key.
    let close = text.indexOf('"', i + 1);
    if (close < 0) return null;
    if (count === cap) {
      cap *= 2;
      starts = grown(starts, cap);
      ends = grown(ends, cap);
      ids = grown(ids, cap);
    }
    if (backslash < close) {
      // An escape inside the key (\" does not end it): let JSON.parse decode this one key.
      let j = backslash;
      while (j < n && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      close = j;
      const token = JSON.parse(text.slice(i, close + 1)) as string;
      starts[count] = n + decoded.length;
      decoded += token;
      ends[count] = n + decoded.length;
      backslash = text.indexOf('\\', close);
      if (backslash < 0) backslash = n;
    } else {
      starts[count] = i + 1;
      ends[count] = close;
    }
    i = close + 1;
    c = text.charCodeAt(i);
    if (c === 58 && text.charCodeAt(i + 1) === 32) {
      i += 2;
      c = text.charCodeAt(i);
    } else {
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
      if (c !== 58 /* : */) return null;
      c = text.charCodeAt(++i);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    }
    let id = 0;
    const digits = i;
    for (; c >= 48 && c <= 57; c = text.charCodeAt(++i)) id = id * 10 + (c - 48);
    if (i === digits || i - digits > 9) return null;
    ids[count++] = id;
    if (gap !== '' && text.startsWith(gap, i)) {
      i += gap.length - 1;
      continue;
    }
    const from = i;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    if (c === 125)
      return {
        vocab: { text: decoded ? text + decoded : text, starts, ends, ids, count },
        next: i + 1,
      };
    if (c !== 44 /* , */) return null;
    c = text.charCodeAt(++i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    if (c !== 34) return null;
    gap = text.slice(from, i + 1);
  }
}

function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
