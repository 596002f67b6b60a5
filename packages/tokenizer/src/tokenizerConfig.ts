import type { BertTokenizerOptions } from './BertTokenizer.js';

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
 * Parses tokenizer.json text. The 30k-entry `model.vocab` object is read by a small scanner straight into a
 * Map (in file order): building it through JSON.parse and then iterating the object's keys costs about twice
 * as long. Anything unexpected falls back to plain JSON.parse.
 */
export function parseTokenizerJson(text: string): { json: TokenizerJson; vocab: Map<string, number> | null } {
  const model = text.indexOf('"model"');
  const key = model < 0 ? -1 : text.indexOf('"vocab"', model);
  const open = key < 0 ? -1 : text.indexOf('{', key);
  if (open < 0 || !/^"vocab"\s*:\s*$/.test(text.slice(key, open)))
    return { json: JSON.parse(text), vocab: null };
  const vocab = new Map<string, number>();
  const n = text.length;
  let i = open + 1;
  const skipWs = () => {
    while (i < n && text.charCodeAt(i) <= 32) i++;
  };
  for (;;) {
    skipWs();
    if (text.charCodeAt(i) === 125 /* } */ && vocab.size === 0) break;
    if (text.charCodeAt(i) !== 34 /* " */) return { json: JSON.parse(text), vocab: null };
    let j = i + 1;
    let escaped = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */) {
        escaped = true;
        j += 2;
      } else if (c === 34) break;
      else j++;
    }
    const token = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
    i = j + 1;
    skipWs();
    if (text.charCodeAt(i) !== 58 /* : */) return { json: JSON.parse(text), vocab: null };
    i++;
    skipWs();
    let id = 0;
    const start = i;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) id = id * 10 + (c - 48);
    if (i === start) return { json: JSON.parse(text), vocab: null };
    vocab.set(token, id);
    skipWs();
    const sep = text.charCodeAt(i++);
    if (sep === 125) break;
    if (sep !== 44 /* , */) return { json: JSON.parse(text), vocab: null };
  }
  const json = JSON.parse(`${text.slice(0, open)}{}${text.slice(i)}`) as TokenizerJson;
  return { json, vocab };
}
