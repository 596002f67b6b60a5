import { TokenizerError } from './errors.js';

export interface WordPieceOptions {
  unkToken: string;
  continuingSubwordPrefix: string;
  /** Words longer than this (in code points) become one unknown token. */
  maxInputCharsPerWord: number;
}

/**
 * Vocabulary entries in source order, without a string per token: entry i is the token
 * `text.slice(starts[i], ends[i])` with id `ids[i]`. Loaders fill it by scanning vocab.txt / tokenizer.json.
 */
export interface PackedVocab {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  ids: Int32Array;
  count: number;
}

/**
 * Greedy longest-match-first WordPiece (Hugging Face `models/wordpiece`).
 *
 * Hand-written rather than taken from a library: no JavaScript package gives byte-identical BERT WordPiece at
 * this speed (transformers.js is about 2x slower and differs on edge cases; the official binding is native and
 * pays the N-API crossing per call). Tokens live in one open-addressing table keyed by a rolling hash of their
 * UTF-16 code units, so the candidates at a position are found by extending one hash a character at a time, with
 * no substring allocated; a hash hit is confirmed by comparing the characters. Keeping the longest hit is exactly
 * the library's "longest substring first" loop, which tries every shorter end until one is in the vocabulary.
 *
 * Loading hashes each token once (a trie would need a table probe per character, several times slower before
 * V8 has optimized the loop); a packed vocabulary needs no string per token, and the token → id Map and the
 * id → token array are built on first use.
 */
export class WordPiece {
  readonly unkId: number;
  readonly options: Readonly<WordPieceOptions>;
  /** Open-addressing table, stride 2: token hash, 1 + packed entry index (0 = empty slot). */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Longest token, in code units: no candidate is longer. */
  private readonly maxLength: number;
  /** Hash of the continuing-subword prefix (`##`), where continuation pieces start. */
  private readonly prefixHash: number;
  private readonly packed: PackedVocab;
  /** 1 for an entry shadowed by a later duplicate (a Map keeps the last id). */
  private readonly shadowed: Uint8Array;
  private map: Map<string, number> | null;
  private tokens: string[] | null = null;
  /** Entries added after construction (tokenizer.json's added tokens that are not in model.vocab). */
  private extra: Map<string, number> | null = null;

  constructor(vocab: ReadonlyMap<string, number> | PackedVocab, options: Partial<WordPieceOptions> = {}) {
    this.options = {
      unkToken: options.unkToken ?? '[UNK]',
      continuingSubwordPrefix: options.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: options.maxInputCharsPerWord ?? 100,
    };
    this.map = vocab instanceof Map ? vocab : null;
    const packed = vocab instanceof Map ? packMap(vocab) : (vocab as PackedVocab);
    this.packed = packed;
    const { text, starts, ends, count } = packed;
    let size = 1024;
    while (size < count * 4) size *= 2;
    const table = new Int32Array(size * 2);
    const mask = size - 1;
    const shadowed = new Uint8Array(count);
    let maxLength = 0;
    // One loop, so that V8 optimizes it early (on-stack replacement).
    for (let e = 0; e < count; e++) {
      const start = starts[e];
      const end = ends[e];
      if (end - start > maxLength) maxLength = end - start;
      let h = SEED;
      for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), PRIME);
      let slot = (h ^ (h >>> 15)) & mask;
      for (;;) {
        const other = table[2 * slot + 1] - 1;
        if (other < 0) break;
        if (table[2 * slot] === h && sameRange(text, starts[other], ends[other], start, end)) {
          shadowed[other] = 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      table[2 * slot] = h;
      table[2 * slot + 1] = e + 1;
    }
    this.table = table;
    this.mask = mask;
    this.shadowed = shadowed;
    this.maxLength = maxLength;
    this.prefixHash = hashOf(this.options.continuingSubwordPrefix);
    const unk = this.tokenToId(this.options.unkToken);
    if (unk === undefined)
      throw new TokenizerError(
        'MISSING_UNK_TOKEN',
        `The vocabulary has no unknown token '${this.options.unkToken}'. Add it to vocab.txt / tokenizer.json, or pass the right unkToken.`,
      );
    this.unkId = unk;
  }

  /** The id of a vocabulary token (no Map needed), or undefined. */
  tokenToId(token: string): number | undefined {
    const { table, mask } = this;
    const { text, starts, ends, ids } = this.packed;
    const h = hashOf(token);
    for (let slot = (h ^ (h >>> 15)) & mask; table[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
      const e = table[2 * slot + 1] - 1;
      if (table[2 * slot] === h && ends[e] - starts[e] === token.length && text.startsWith(token, starts[e]))
        return ids[e];
    }
    return this.extra?.get(token);
  }

  /** Token → id, in vocabulary order (built on first use). */
  get vocab(): ReadonlyMap<string, number> {
    if (!this.map) {
      const { text, starts, ends, ids, count } = this.packed;
      const map = new Map<string, number>();
      for (let e = 0; e < count; e++) map.set(text.slice(starts[e], ends[e]), ids[e]);
      if (this.extra) for (const [t, id] of this.extra) if (!map.has(t)) map.set(t, id);
      this.map = map;
    }
    return this.map;
  }

  /** Id → token (built on first use); ids of entries shadowed by a later duplicate are holes, as in the Map. */
  get idToToken(): string[] {
    if (!this.tokens) {
      const { text, starts, ends, ids, count } = this.packed;
      const tokens: string[] = [];
      for (let e = 0; e < count; e++) if (!this.shadowed[e]) tokens[ids[e]] = text.slice(starts[e], ends[e]);
      this.tokens = tokens;
    }
    return this.tokens;
  }

  /**
   * Adds a token to `vocab` (not to the WordPiece lookup), unless it is already there: tokenizer.json's added tokens.
   * @internal
   */
  addToVocab(token: string, id: number): void {
    if (this.tokenToId(token) !== undefined) return;
    this.extra ??= new Map();
    this.extra.set(token, id);
    this.map?.set(token, id);
  }

  /** Scans vocab.txt (one token per line, id = line number, trailing whitespace trimmed as in Rust) without a string per token. */
  static packVocabTxt(text: string): PackedVocab {
    let lines = 1;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines++;
    const starts = new Int32Array(lines);
    const ends = new Int32Array(lines);
    const ids = new Int32Array(lines);
    let id = 0;
    for (let pos = 0; pos < text.length; id++) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      let end = nl;
      while (end > pos && text.charCodeAt(end - 1) <= 32) end--;
      // As parseVocabTxt: a line ending in a control or space character is trimEnd()-ed.
      if (end !== nl) for (end = nl; end > pos && isJsWhitespace(text.charCodeAt(end - 1)); ) end--;
      starts[id] = pos;
      ends[id] = end;
      ids[id] = id;
      pos = nl + 1;
    }
    if (id === 0) throw new TokenizerError('INVALID_VOCAB', 'vocab.txt is empty.');
    return { text, starts, ends, ids, count: id };
  }

  /** Parses vocab.txt: one token per line, id = line number (trailing whitespace trimmed, as in Rust). */
  static parseVocabTxt(text: string): Map<string, number> {
    const vocab = new Map<string, number>();
    let id = 0;
    for (let pos = 0; pos < text.length; id++) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      let end = nl;
      while (end > pos && text.charCodeAt(end - 1) <= 32) end--;
      vocab.set(end === nl ? text.slice(pos, nl) : text.slice(pos, nl).trimEnd(), id);
      pos = nl + 1;
    }
    if (vocab.size === 0) throw new TokenizerError('INVALID_VOCAB', 'vocab.txt is empty.');
    return vocab;
  }

  /**
   * Appends the pieces of the word `s.slice(ws, we)`: ids and [start, end) offsets into `s`.
   * A word with a part that is in no vocabulary entry, or longer than maxInputCharsPerWord, is one unknown token.
   */
  tokenizeWord(s: string, ws: number, we: number, ids: number[], starts: number[], ends: number[]): void {
    const max = this.options.maxInputCharsPerWord;
    if (we - ws > max && countCodePoints(s, ws, we) > max) {
      ids.push(this.unkId);
      starts.push(ws);
      ends.push(we);
      return;
    }
    const first = ids.length;
    const { table, mask, prefixHash } = this;
    const tokenIds = this.packed.ids;
    let start = ws;
    while (start < we) {
      const continuing = start !== ws;
      let h = continuing ? prefixHash : SEED;
      const last = Math.min(we, start + this.maxLength);
      let bestEnd = -1;
      let bestEntry = -1;
      // Hash hits only: the longest one is checked below (a false hit is rare).
      for (let i = start; i < last; i++) {
        h = Math.imul(h ^ s.charCodeAt(i), PRIME);
        for (let slot = (h ^ (h >>> 15)) & mask; table[2 * slot + 1] !== 0; slot = (slot + 1) & mask)
          if (table[2 * slot] === h) {
            bestEnd = i + 1;
            bestEntry = table[2 * slot + 1] - 1;
            break;
          }
      }
      if (bestEntry >= 0 && !this.isPiece(bestEntry, s, start, bestEnd, continuing)) {
        bestEnd = this.longestPiece(s, start, last, continuing);
        bestEntry = this.lastEntry;
      }
      const bestId = bestEntry >= 0 ? tokenIds[bestEntry] : -1;
      if (bestId < 0) {
        ids.length = first;
        starts.length = first;
        ends.length = first;
        ids.push(this.unkId);
        starts.push(ws);
        ends.push(we);
        return;
      }
      ids.push(bestId);
      starts.push(start);
      ends.push(bestEnd);
      start = bestEnd;
    }
  }

  /** Whether packed entry e is (the continuing prefix +) s[start, end). */
  private isPiece(e: number, s: string, start: number, end: number, continuing: boolean): boolean {
    const { text, starts, ends } = this.packed;
    const prefix = this.options.continuingSubwordPrefix;
    const from = starts[e] + (continuing ? prefix.length : 0);
    return (
      ends[e] - from === end - start &&
      sameChars(text, from, s, start, end) &&
      (!continuing || sameChars(text, starts[e], prefix, 0, prefix.length))
    );
  }

  private lastEntry = -1;

  /** The slow path after a false hash hit: the end of the longest piece at `start` (-1: none), every hit checked. */
  private longestPiece(s: string, start: number, last: number, continuing: boolean): number {
    const { table, mask } = this;
    let h = continuing ? this.prefixHash : SEED;
    let bestEnd = -1;
    this.lastEntry = -1;
    for (let i = start; i < last; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), PRIME);
      for (let slot = (h ^ (h >>> 15)) & mask; table[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
        const e = table[2 * slot + 1] - 1;
        if (table[2 * slot] === h && this.isPiece(e, s, start, i + 1, continuing)) {
          bestEnd = i + 1;
          this.lastEntry = e;
          break;
        }
      }
    }
    return bestEnd;
  }

  /** The pieces of one (normalized) word. */
  tokenize(word: string): { id: number; token: string; offsets: [number, number] }[] {
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.tokenizeWord(word, 0, word.length, ids, starts, ends);
    return ids.map((id, i) => ({ id, token: this.idToToken[id], offsets: [starts[i], ends[i]] }));
  }
}

/** Packs a Map's keys (in its order) into one string. */
function packMap(vocab: ReadonlyMap<string, number>): PackedVocab {
  const count = vocab.size;
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const ids = new Int32Array(count);
  let e = 0;
  let pos = 0;
  for (const [token, id] of vocab) {
    starts[e] = pos;
    pos += token.length;
    ends[e] = pos;
    ids[e++] = id;
  }
  return { text: [...vocab.keys()].join(''), starts, ends, ids, count };
}

/** What String#trimEnd removes. */
function isJsWhitespace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 126 && /\s/.test(String.fromCharCode(c));
}

// FNV-1a over UTF-16 code units.
const SEED = 0x811c9dc5 | 0;
const PRIME = 0x01000193;

function hashOf(s: string): number {
  let h = SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return h;
}

/** a[aStart, aStart + (bEnd - bStart)) === b[bStart, bEnd). */
function sameChars(a: string, aStart: number, b: string, bStart: number, bEnd: number): boolean {
  for (let i = bStart, j = aStart; i < bEnd; i++, j++) if (a.charCodeAt(j) !== b.charCodeAt(i)) return false;
  return true;
}

function sameRange(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aEnd - aStart === bEnd - bStart && sameChars(text, aStart, text, bStart, bEnd);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function countCodePoints(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++)
    if (!(isLow(s.charCodeAt(i)) && i > start && isHigh(s.charCodeAt(i - 1)))) n++;
  return n;
}
