import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer, TokenizerError } from '../src/index.js';
import { UNCASED_DIR } from './goldens.js';

let tok: BertTokenizer;
beforeAll(async () => {
  tok = await BertTokenizer.fromPretrained(UNCASED_DIR);
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenizerError);
    return (e as TokenizerError).code;
  }
  throw new Error('did not throw');
};

describe('bad input', () => {
  it('drops lone surrogates (as the library drops the U+FFFD they become)', () => {
    const e = tok.encode('a\uD800b \uDC00c d\uDBFF');
    expect(e.tokens).toEqual(['[CLS]', 'ab', 'c', 'd', '[SEP]']);
    expect(e.offsets).toEqual([
      [0, 0],
      [0, 3],
      [5, 6],
      [7, 8],
      [0, 0],
    ]);
  });

  it('drops NUL', () => {
    expect(tok.encode('\u0000role\u0000 model').tokens).toEqual(['[CLS]', 'role', 'model', '[SEP]']);
  });

  it('encodes 1 MB without spaces in linear time as one [UNK]', () => {
    const t0 = performance.now();
    const e = tok.encode('a'.repeat(1 << 20));
    expect(e.input_ids).toEqual([101, 100, 102]);
    expect(e.offsets[1]).toEqual([0, 1 << 20]);
    // Accented text takes the slow (aligned) path; still one [UNK], still fast.
    expect(tok.encode('é'.repeat(1 << 20)).input_ids).toEqual([101, 100, 102]);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('encodes 1 MB of punctuation-separated pieces', () => {
    const e = tok.encode('ab,'.repeat(350_000));
    expect(e.length).toBe(700_002);
  });

  it('empty string and empty pair', () => {
    expect(tok.encode('').input_ids).toEqual([101, 102]);
    const p = tok.encode('first only', '');
    expect(p.tokens).toEqual(['[CLS]', 'first', 'only', '[SEP]', '[SEP]']);
    expect(p.token_type_ids).toEqual([0, 0, 0, 0, 1]);
  });

  it('maxLength smaller than the special tokens is a clear error', () => {
    expect(code(() => tok.encode('hello world', null, { maxLength: 1 }))).toBe('MAX_LENGTH_TOO_SMALL');
    expect(code(() => tok.encode('a', 'b', { maxLength: 2 }))).toBe('MAX_LENGTH_TOO_SMALL');
    expect(() => tok.encode('a', 'b', { maxLength: 2 })).toThrow(/smaller than the 3 special tokens/);
  });

  it('a vocab without [UNK] fails at load', () => {
    const vocab = readFileSync(`${UNCASED_DIR}vocab.txt`, 'utf8').replace('[UNK]\n', '[NOT_UNK]\n');
    expect(code(() => BertTokenizer.fromVocab(vocab))).toBe('MISSING_UNK_TOKEN');
    expect(() => BertTokenizer.fromVocab(vocab)).toThrow(/no unknown token '\[UNK\]'/);
  });

  it('other misuse gets typed errors', () => {
    expect(code(() => tok.encode(42 as unknown as string))).toBe('INVALID_INPUT');
    expect(code(() => tok.decode([101, 99999]))).toBe('INVALID_ID');
    expect(
      code(() => tok.encode('a b c d e f', null, { maxLength: 5, stride: 3, returnOverflowingTokens: true })),
    ).toBe('INVALID_OPTION');
    expect(code(() => tok.encode('a b c', null, { maxLength: 3, truncation: 'only_second' }))).toBe(
      'INVALID_OPTION',
    );
    expect(code(() => tok.encode('a b c d', 'e', { maxLength: 4, truncation: 'only_second' }))).toBe(
      'SEQUENCE_TOO_SHORT',
    );
    expect(code(() => tok.encodeBatch(['a', 'a b c'], { padding: false }))).toBe('RAGGED_BATCH');
    expect(code(() => BertTokenizer.fromTokenizerJson({ model: { type: 'BPE', vocab: {} } }))).toBe(
      'UNSUPPORTED',
    );
  });
});
