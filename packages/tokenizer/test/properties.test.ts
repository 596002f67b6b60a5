import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../src/index.js';
import { UNCASED_DIR } from './goldens.js';

let tok: BertTokenizer;
beforeAll(async () => {
  tok = await BertTokenizer.fromPretrained(UNCASED_DIR);
});

// Mostly text-like strings, with any UTF-16 code unit (lone surrogates included) mixed in.
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'aé中 ,.!?[MASK]ﬁΣİ\u0301\u200b😀\t'.split('')), maxLength: 60 }),
);

describe('properties', () => {
  it('offsets lie inside their own text and increase', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), (a, b) => {
        const e = tok.encode(a, b);
        let last = [-1, -1];
        for (let i = 0; i < e.length; i++) {
          const [s, t] = e.offsets[i];
          const seq = e.sequence_ids[i];
          if (seq === null) {
            expect([s, t]).toEqual([0, 0]);
            continue;
          }
          if (i > 0 && e.sequence_ids[i - 1] !== seq) last = [-1, -1];
          const text = seq === 0 ? a : b!;
          expect(s).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(text.length);
          // Pieces of one character (e.g. Hangul jamo) share its span; otherwise spans move forward.
          expect(s).toBeGreaterThanOrEqual(last[0]);
          expect(t).toBeGreaterThanOrEqual(last[1]);
          last = [s, t];
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every non-special token maps to a non-empty span', () => {
    fc.assert(
      fc.property(anyText, (a) => {
        const e = tok.encode(a);
        e.offsets.forEach(([s, t], i) => {
          if (e.special_tokens_mask[i] === 0) expect(t).toBeGreaterThan(s);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('decode(encode(x)) is the normalized text for plain ASCII words', () => {
    const word = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 0, maxLength: 12 }),
        fc.constantFrom(' ', '  ', '\t', '\n'),
        (words, sep) => {
          const e = tok.encode(words.join(sep));
          expect(tok.decode(e.input_ids, { skipSpecialTokens: true })).toBe(words.join(' ').toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('truncation and padding keep every row exactly maxLength long', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.integer({ min: 3, max: 40 }), (a, b, maxLength) => {
        const e = tok.encode(a, b, { maxLength, padding: 'max_length' });
        expect(e.length).toBe(maxLength);
        expect(e.attention_mask.filter((m) => m === 1).length).toBeLessThanOrEqual(maxLength);
      }),
      { numRuns: 200 },
    );
  });
});
