// The load path reads vocab.txt / tokenizer.json without a string per token (packed ranges, hashed lookup).
// These check it against plain parsing (JSON.parse, the line-by-line Map) on the real vocabulary and edge cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BertTokenizer, WordPiece } from '../src/index.js';
import { UNCASED_DIR } from './goldens.js';

const vocabTxt = readFileSync(`${UNCASED_DIR}/vocab.txt`, 'utf8');
const tokenizerJson = readFileSync(`${UNCASED_DIR}/tokenizer.json`, 'utf8');

/** FNV-1a over UTF-16 code units, the lookup's hash: used to build a colliding pair. */
function fnv(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Two different lowercase words with the same 32-bit hash (birthday search, ~100k candidates). */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let n = 0; ; n++) {
    const w = `w${n.toString(36)}`;
    const other = seen.get(fnv(w));
    if (other !== undefined) return [other, w];
    seen.set(fnv(w), w);
  }
}

describe('loading the vocabulary', () => {
  it('vocab.txt: same vocab, ids and tokens as parsing it into a Map', () => {
    const tok = BertTokenizer.fromVocab(vocabTxt);
    const map = WordPiece.parseVocabTxt(vocabTxt);
    expect([...tok.vocab]).toEqual([...map]);
    const tokens = [...map.keys()];
    expect(tok.convertTokensToIds(tokens)).toEqual([...map.values()]);
    expect(tok.convertIdsToTokens([...map.values()])).toEqual(tokens);
  });

  it('tokenizer.json: the scanned vocab equals JSON.parse of the file, escaped keys included', () => {
    const tok = BertTokenizer.fromTokenizerJson(tokenizerJson);
    const vocab = (JSON.parse(tokenizerJson) as { model: { vocab: Record<string, number> } }).model.vocab;
    expect(new Map(tok.vocab)).toEqual(new Map(Object.entries(vocab)));
    expect(tok.convertTokensToIds(['"', '\\', 'hello'])).toEqual([vocab['"'], vocab['\\'], 7592]);
    // Compact JSON (no whitespace at all) goes through the same scanner.
    const compact = BertTokenizer.fromTokenizerJson(JSON.stringify(JSON.parse(tokenizerJson)));
    expect(new Map(compact.vocab)).toEqual(new Map(tok.vocab));
    expect(compact.encode('Hello "quoted" \\ back-slash').input_ids).toEqual(
      tok.encode('Hello "quoted" \\ back-slash').input_ids,
    );
  });

  it('duplicate lines and CRLF / trailing spaces behave as in a Map (the later id wins)', () => {
    const text = '[UNK]\r\n[CLS]\n[SEP]\nhello \r\nworld\nhello\n##s\t\n';
    const tok = BertTokenizer.fromVocab(text);
    expect([...tok.vocab]).toEqual([...WordPiece.parseVocabTxt(text)]);
    expect(tok.convertTokensToIds(['hello', 'world', '##s'])).toEqual([5, 4, 6]);
    expect(tok.convertIdsToTokens([0, 4, 5, 6])).toEqual(['[UNK]', 'world', 'hello', '##s']);
    expect(() => tok.convertIdsToTokens([3])).toThrow(/outside the vocabulary/);
    expect(tok.encode('hellos world', undefined, { addSpecialTokens: false }).input_ids).toEqual([5, 6, 4]);
  });

  it('a word whose hash equals a token hash is not taken for that token', () => {
    const [inVocab, other] = collidingPair();
    expect(fnv(inVocab)).toBe(fnv(other));
    const model = new WordPiece(
      new Map([
        ['[UNK]', 0],
        [inVocab, 1],
        ['w', 2],
        ['##x', 3],
      ]),
    );
    expect(model.tokenize(inVocab).map((p) => p.id)).toEqual([1]);
    expect(model.tokenize(other).map((p) => p.id)).toEqual([0]);
    expect(model.tokenToId(other)).toBeUndefined();
    // The same word with the colliding part as a continuation: still no false match.
    expect(model.tokenize(`${other}x`).map((p) => p.id)).toEqual([0]);
  });
});
