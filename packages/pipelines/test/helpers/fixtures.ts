// Fixture access for the pipeline tests: expected.json cases, expected.safetensors tensors, and a tokenizer
// that replays the fixture's own tokenization (offsets/word ids derived by aligning tokens with the text),
// so post-processing can be checked against the PyTorch-reference outputs independently of @distilbert/tokenizer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CheckpointFile, openSafetensors } from '@distilbert/core';
import { cleanUpTokenization } from '@distilbert/tokenizer';
import { convertTokensToString } from '../../src/postprocess/wordpiece.js';
import type { DecodeOptions, EncodingLike, TokenizerLike } from '../../src/types.js';

export const MODELS_DIR = fileURLToPath(new URL('../../../../fixtures/models/', import.meta.url));
export const modelDir = (name: string) => `${MODELS_DIR}tiny-distilbert-${name}`;

export interface Case {
  id: string;
  texts: string[][] | null;
  tokens: string[][];
  input_ids: number[][];
  attention_mask: number[][];
  batch: number;
  seq_len: number;
  max_length: number;
  tensors: Record<string, { name: string; shape: number[] }>;
}

export interface Expected {
  cases: Case[];
  config: Record<string, unknown>;
  case(id: string): Case;
  /** A stored tensor of a case as float32 (ids too). */
  tensor(caseId: string, key: string): Float32Array;
  shape(caseId: string, key: string): number[];
}

const cache = new Map<string, Promise<Expected>>();

export function expected(name: string): Promise<Expected> {
  let p = cache.get(name);
  if (!p) {
    p = (async () => {
      const json = JSON.parse(readFileSync(`${modelDir(name)}/expected.json`, 'utf8')) as {
        cases: Case[];
        config: Record<string, unknown>;
      };
      const file: CheckpointFile = await openSafetensors(`${modelDir(name)}/expected.safetensors`);
      const byId = new Map(json.cases.map((c) => [c.id, c]));
      return {
        cases: json.cases,
        config: json.config,
        case: (id) => byId.get(id) ?? (undefined as never),
        tensor: (id, key) => {
          const info = byId.get(id)!.tensors[key];
          return file.info(info.name).dtype === 'I64'
            ? Float32Array.from(file.int32(info.name))
            : Float32Array.from(file.float32(info.name));
        },
        shape: (id, key) => [...byId.get(id)!.tensors[key].shape],
      };
    })();
    cache.set(name, p);
  }
  return p;
}

export function readVocab(): string[] {
  return readFileSync(`${modelDir('mlm')}/vocab.txt`, 'utf8')
    .split('\n')
    .slice(0, 30522);
}

const SPECIAL = new Set(['[CLS]', '[SEP]', '[PAD]', '[MASK]', '[UNK]']);
const SPECIAL_IN_MASK = new Set(['[CLS]', '[SEP]', '[PAD]']);

/** Per-character normalisation of uncased BERT (lowercase, accents dropped), keeping the index map. */
function normalised(text: string): { chars: string; map: number[] } {
  let chars = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '')
      .toLowerCase();
    for (const ch of c) {
      chars += ch;
      map.push(i);
    }
  }
  return { chars, map };
}

/** Offsets and word ids of `tokens` (one segment, no specials) in `text`, by greedy alignment. */
function align(text: string, tokens: string[]): { offsets: [number, number][]; words: number[] } {
  const { chars, map } = normalised(text);
  const offsets: [number, number][] = [];
  const words: number[] = [];
  let cursor = 0;
  let word = -1;
  let lastEnd = -1;
  for (const token of tokens) {
    const piece = token.startsWith('##') ? token.slice(2) : token;
    if (token === '[MASK]' || token === '[UNK]') {
      const at = token === '[MASK]' ? text.indexOf('[MASK]', map[cursor] ?? text.length) : -1;
      if (at >= 0) {
        offsets.push([at, at + 6]);
        while (cursor < map.length && map[cursor] < at + 6) cursor++;
      } else {
        // [UNK]: the next run of non-space characters.
        while (cursor < chars.length && /\s/.test(chars[cursor])) cursor++;
        const start = cursor;
        while (cursor < chars.length && !/\s/.test(chars[cursor])) cursor++;
        offsets.push([map[start], map[cursor - 1] + 1]);
      }
      word++;
      words.push(word);
      lastEnd = map[cursor - 1] + 1;
      continue;
    }
    const at = chars.indexOf(piece, cursor);
    if (at < 0) throw new Error(`cannot align token '${token}' in "${text}"`);
    const start = map[at];
    const end = map[at + piece.length - 1] + 1;
    if (!(token.startsWith('##') && start === lastEnd)) word++;
    offsets.push([start, end]);
    words.push(word);
    cursor = at + piece.length;
    lastEnd = end;
  }
  return { offsets, words };
}

/** The encoding of one fixture row, unpadded, with offsets/word ids/sequence ids. */
export function fixtureEncoding(texts: string[], tokens: string[], ids: number[]): EncodingLike {
  const n = tokens.findLastIndex((t) => t !== '[PAD]') + 1;
  tokens = tokens.slice(0, n);
  ids = ids.slice(0, n);
  const offsets: [number, number][] = [];
  const word_ids: (number | null)[] = [];
  const sequence_ids: (number | null)[] = [];
  let seg = 0;
  let segTokens: string[] = [];
  const flush = () => {
    if (segTokens.length === 0) return;
    const a = align(texts[seg] ?? '', segTokens);
    offsets.push(...a.offsets);
    word_ids.push(...a.words);
    for (let i = 0; i < segTokens.length; i++) sequence_ids.push(seg);
    segTokens = [];
  };
  for (const t of tokens) {
    if (t === '[CLS]' || t === '[SEP]') {
      flush();
      offsets.push([0, 0]);
      word_ids.push(null);
      sequence_ids.push(null);
      if (t === '[SEP]') seg++;
    } else segTokens.push(t);
  }
  flush();
  return {
    input_ids: ids,
    attention_mask: ids.map(() => 1),
    special_tokens_mask: tokens.map((t) => (SPECIAL_IN_MASK.has(t) ? 1 : 0)),
    tokens,
    offsets,
    word_ids,
    sequence_ids,
  };
}

/** A TokenizerLike that only knows the fixture texts of the given models (untruncated cases). */
export async function fixtureTokenizer(
  ...names: string[]
): Promise<TokenizerLike & { vocab: Map<string, number> }> {
  const vocabList = readVocab();
  const vocab = new Map(vocabList.map((t, i) => [t, i]));
  const known = new Map<string, EncodingLike>();
  for (const name of names) {
    for (const c of (await expected(name)).cases) {
      if (!c.texts) continue;
      c.texts.forEach((row, b) => {
        if (c.attention_mask[b].reduce((a, x) => a + x, 0) >= c.max_length) return; // (maybe) truncated
        known.set(JSON.stringify(row), fixtureEncoding(row, c.tokens[b], c.input_ids[b]));
      });
    }
  }
  return {
    vocab,
    maskTokenId: 103,
    modelMaxLength: 512,
    encode(text: string, pair?: string | null) {
      const key = JSON.stringify(pair === undefined || pair === null ? [text] : [text, pair]);
      const enc = known.get(key);
      if (!enc) throw new Error(`fixture tokenizer: unknown text ${key}`);
      return enc;
    },
    decode(ids: ArrayLike<number>, options: DecodeOptions = {}) {
      let tokens = Array.from(ids, (id) => vocabList[id]);
      if (options.skipSpecialTokens) tokens = tokens.filter((t) => !SPECIAL.has(t));
      // tokenizer.json's WordPiece decoder (per-token cleanup), then Python's whole-string clean-up if asked.
      const text = convertTokensToString(tokens, '##', true);
      return options.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
    },
    convertIdsToTokens: (ids: ArrayLike<number>) => Array.from(ids, (id) => vocabList[id]),
  };
}

/** Numerically independent reference softmax (float64). */
export function refSoftmax(row: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(row));
  const e = Array.from(row, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
