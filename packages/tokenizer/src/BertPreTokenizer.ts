import { isPunctuation, isWhitespace } from './unicode.js';

/** Character classes of the pre-tokenizer. */
export const WORD = 0;
export const SPACE = 1;
export const PUNCT = 2;

/**
 * Hugging Face's BertPreTokenizer: splits on whitespace (removed) and isolates each punctuation character.
 * The tokenizer's hot loop uses `classOf` directly; `preTokenize` is the readable form of the same rule.
 */
export class BertPreTokenizer {
  private readonly ascii = new Uint8Array(128);
  private readonly cache = new Map<number, number>();

  constructor() {
    for (let c = 0; c < 128; c++) this.ascii[c] = this.compute(c);
  }

  private compute(cp: number): number {
    if (isWhitespace(cp)) return SPACE;
    if (isPunctuation(cp)) return PUNCT;
    return WORD;
  }

  /** WORD, SPACE or PUNCT. */
  classOf(cp: number): number {
    if (cp < 128) return this.ascii[cp];
    let k = this.cache.get(cp);
    if (k === undefined) {
      k = this.compute(cp);
      this.cache.set(cp, k);
    }
    return k;
  }

  /** Words of an (already normalized) string with their [start, end) UTF-16 offsets. */
  preTokenize(text: string): [string, [number, number]][] {
    const words: [string, [number, number]][] = [];
    let ws = -1;
    const flush = (end: number) => {
      if (ws >= 0) words.push([text.slice(ws, end), [ws, end]]);
      ws = -1;
    };
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      const k = this.classOf(cp);
      if (k === WORD) {
        if (ws < 0) ws = i;
      } else {
        flush(i);
        if (k === PUNCT) words.push([text.slice(i, i + len), [i, i + len]]);
      }
      i += len;
    }
    flush(text.length);
    return words;
  }
}
