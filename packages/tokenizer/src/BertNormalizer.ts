import {
  isChineseChar,
  isCleanTextWhitespace,
  isRemovedByCleanText,
  lowercasePerCodePoint,
  stripAccents,
} from './unicode.js';

export interface BertNormalizerOptions {
  /** Drop NUL, U+FFFD and control/format characters; map every whitespace character to ' '. */
  cleanText: boolean;
  /** Put spaces around CJK ideographs so that each becomes its own word. */
  handleChineseChars: boolean;
  /** NFD then drop nonspacing marks; `null` follows `lowercase` (Hugging Face default). */
  stripAccents: boolean | null;
  lowercase: boolean;
}

/**
 * A normalized piece of the original string. Offsets are UTF-16 code units relative to the piece's start in
 * the original. `origStart`/`origEnd` give, per normalized code unit, the span of the original character it
 * came from; `null` means the normalized text has the original's length and offsets (the common ASCII case).
 */
export interface NormalizedText {
  text: string;
  origStart: number[] | null;
  origEnd: number[] | null;
}

const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;
const NOT_ASCII = /[^\x00-\x7f]/;

/** Hugging Face's BertNormalizer, with alignments back to the original string. */
export class BertNormalizer {
  readonly options: Readonly<BertNormalizerOptions>;
  private readonly doStrip: boolean;
  /** Replacement of each ASCII code unit. */
  private readonly ascii: string[] = [];
  /** Replacement of each non-ASCII code point seen so far. */
  private readonly cache = new Map<number, string>();
  private readonly fastPath: RegExp;

  constructor(options: Partial<BertNormalizerOptions> = {}) {
    this.options = {
      cleanText: options.cleanText ?? true,
      handleChineseChars: options.handleChineseChars ?? true,
      stripAccents: options.stripAccents ?? null,
      lowercase: options.lowercase ?? true,
    };
    this.doStrip = this.options.stripAccents ?? this.options.lowercase;
    for (let c = 0; c < 128; c++) this.ascii.push(this.compute(c));
    this.fastPath = this.options.cleanText ? NOT_PLAIN_ASCII : NOT_ASCII;
  }

  /** What one code point becomes ('' when removed). */
  mapCodePoint(cp: number): string {
    if (cp < 128) return this.ascii[cp];
    let s = this.cache.get(cp);
    if (s === undefined) {
      s = this.compute(cp);
      this.cache.set(cp, s);
    }
    return s;
  }

  private compute(cp: number): string {
    const o = this.options;
    if (o.cleanText) {
      if (isRemovedByCleanText(cp)) return '';
      if (isCleanTextWhitespace(cp)) return ' ';
    }
    let s = this.doStrip ? stripAccents(cp) : String.fromCodePoint(cp);
    if (o.lowercase) s = lowercasePerCodePoint(s);
    return o.handleChineseChars && isChineseChar(cp) ? ` ${s} ` : s;
  }

  /** Normalizes `text.slice(start, end)`. */
  normalize(text: string, start = 0, end = text.length): NormalizedText {
    const piece = start === 0 && end === text.length ? text : text.slice(start, end);
    if (!this.fastPath.test(piece)) {
      // ASCII with nothing removed: one code unit in, one out (tab/LF/CR stay; they are whitespace anyway).
      return { text: this.options.lowercase ? piece.toLowerCase() : piece, origStart: null, origEnd: null };
    }
    return this.normalizePerCodePoint(piece);
  }

  /**
   * Each code point maps on its own and its output gets its span. (The library runs NFD on the whole string,
   * which can also reorder combining marks of neighbouring characters; see README "Limits".)
   */
  private normalizePerCodePoint(piece: string): NormalizedText {
    let out = '';
    const origStart: number[] = [];
    const origEnd: number[] = [];
    const n = piece.length;
    for (let i = 0; i < n; ) {
      const c = piece.charCodeAt(i);
      let cp = c;
      let len = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = piece.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          len = 2;
        }
      }
      const rep = cp < 128 ? this.ascii[cp] : this.mapCodePoint(cp);
      for (let k = 0; k < rep.length; k++) {
        origStart.push(i);
        origEnd.push(i + len);
      }
      out += rep;
      i += len;
    }
    return { text: out, origStart, origEnd };
  }
}
