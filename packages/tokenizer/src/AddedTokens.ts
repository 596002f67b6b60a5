import { isWhitespace } from './unicode.js';

/** A token matched in the raw text before normalization (Hugging Face `AddedToken`). */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  /** Also take the whitespace on the left / right of a match. */
  lstrip?: boolean;
  rstrip?: boolean;
}

/**
 * Finds added tokens (e.g. `[MASK]`) in the original text, case-sensitively, leftmost then longest, as the
 * library's Aho-Corasick matcher does for tokens with `normalized: false`. Special tokens are never split.
 */
export class AddedTokensMatcher {
  readonly tokens: readonly AddedToken[];
  private readonly byContent = new Map<string, AddedToken>();
  private readonly pattern: RegExp | null;

  constructor(tokens: readonly AddedToken[]) {
    this.tokens = tokens;
    for (const t of tokens) if (t.content) this.byContent.set(t.content, t);
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length
      ? new RegExp(contents.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : null;
  }

  /**
   * Splits `text` into [start, end, id] triples (flat), id -1 for the text between matches.
   * Returns null when nothing matches (the usual case).
   */
  split(text: string): number[] | null {
    const re = this.pattern;
    if (re === null) return null;
    re.lastIndex = 0;
    let m = re.exec(text);
    if (m === null) return null;
    const out: number[] = [];
    let pos = 0;
    while (m !== null) {
      const t = this.byContent.get(m[0])!;
      let s = m.index;
      let e = s + m[0].length;
      if (t.lstrip) while (s > pos && isWhitespace(text.charCodeAt(s - 1))) s--;
      if (t.rstrip) while (e < text.length && isWhitespace(text.charCodeAt(e))) e++;
      if (s > pos) out.push(pos, s, -1);
      out.push(s, e, t.id);
      pos = e;
      re.lastIndex = e;
      m = re.exec(text);
    }
    if (pos < text.length) out.push(pos, text.length, -1);
    return out;
  }
}
