import { TokenizerError } from './errors.js';

export interface WordPieceOptions {
  unkToken: string;
  continuingSubwordPrefix: string;
  /** Words longer than this (in code points) become one unknown token. */
  maxInputCharsPerWord: number;
}

/**
 * Greedy longest-match-first WordPiece (Hugging Face `models/wordpiece`).
 *
 * Hand-written rather than taken from a library: no JavaScript package gives byte-identical BERT WordPiece at
 * this speed (transformers.js is about 2x slower and differs on edge cases; the official binding is native and
 * pays the N-API crossing per call). The vocabulary is compiled into a trie over UTF-16 code units whose edges
 * live in one open-addressing hash table of typed arrays, so the longest vocabulary prefix at a position is
 * found in one pass over the characters, with no substring allocated and no string hashed. That is exactly
 * the library's "longest substring first" loop, which tries every shorter end until one is in the vocabulary.
 */
export class WordPiece {
  readonly vocab: ReadonlyMap<string, number>;
  readonly idToToken: string[];
  readonly unkId: number;
  readonly options: Readonly<WordPieceOptions>;
  /** Trie: token id ending at each node (-1: none). Node 0 is the root. */
  private terminal: Int32Array;
  private nodes = 1;
  /** Edge hash table: parent node, code unit, child node (parent -1 = empty slot). */
  private edgeParent: Int32Array;
  private edgeChar: Uint16Array;
  private edgeChild: Int32Array;
  private mask: number;
  /** Node reached by the continuing-subword prefix (`##`). */
  private readonly continuingRoot: number;

  constructor(vocab: ReadonlyMap<string, number>, options: Partial<WordPieceOptions> = {}) {
    this.options = {
      unkToken: options.unkToken ?? '[UNK]',
      continuingSubwordPrefix: options.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: options.maxInputCharsPerWord ?? 100,
    };
    this.vocab = vocab;
    const unk = vocab.get(this.options.unkToken);
    if (unk === undefined)
      throw new TokenizerError(
        'MISSING_UNK_TOKEN',
        `The vocabulary has no unknown token '${this.options.unkToken}'. Add it to vocab.txt / tokenizer.json, or pass the right unkToken.`,
      );
    this.unkId = unk;
    this.idToToken = [];
    let chars = 0;
    for (const token of vocab.keys()) chars += token.length;
    const prefix = this.options.continuingSubwordPrefix;
    chars += prefix.length + 1;
    let size = 1024;
    while (size < chars * 2) size *= 2;
    this.mask = size - 1;
    this.edgeParent = new Int32Array(size).fill(-1);
    this.edgeChar = new Uint16Array(size);
    this.edgeChild = new Int32Array(size);
    this.terminal = new Int32Array(chars + 1).fill(-1);
    for (const [token, id] of vocab) {
      this.idToToken[id] = token;
      this.terminal[this.insert(token)] = id;
    }
    this.continuingRoot = this.insert(prefix);
  }

  private insert(token: string): number {
    let node = 0;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      let h = hash(node, c) & this.mask;
      for (;;) {
        const p = this.edgeParent[h];
        if (p === -1) {
          this.edgeParent[h] = node;
          this.edgeChar[h] = c;
          node = this.edgeChild[h] = this.nodes++;
          break;
        }
        if (p === node && this.edgeChar[h] === c) {
          node = this.edgeChild[h];
          break;
        }
        h = (h + 1) & this.mask;
      }
    }
    return node;
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
    const { edgeParent, edgeChar, edgeChild, terminal, mask } = this;
    let start = ws;
    while (start < we) {
      let node = start === ws ? 0 : this.continuingRoot;
      let bestEnd = -1;
      let bestId = -1;
      for (let i = start; i < we; i++) {
        const c = s.charCodeAt(i);
        let h = hash(node, c) & mask;
        let next = -1;
        for (;;) {
          const p = edgeParent[h];
          if (p === -1) break;
          if (p === node && edgeChar[h] === c) {
            next = edgeChild[h];
            break;
          }
          h = (h + 1) & mask;
        }
        if (next < 0) break;
        node = next;
        const id = terminal[node];
        if (id >= 0) {
          bestEnd = i + 1;
          bestId = id;
        }
      }
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

  /** The pieces of one (normalized) word. */
  tokenize(word: string): { id: number; token: string; offsets: [number, number] }[] {
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.tokenizeWord(word, 0, word.length, ids, starts, ends);
    return ids.map((id, i) => ({ id, token: this.idToToken[id], offsets: [starts[i], ends[i]] }));
  }
}

function hash(node: number, c: number): number {
  const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b);
  return h ^ (h >>> 15);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function countCodePoints(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++)
    if (!(isLow(s.charCodeAt(i)) && i > start && isHigh(s.charCodeAt(i - 1)))) n++;
  return n;
}
