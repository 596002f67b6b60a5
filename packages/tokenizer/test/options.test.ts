import tokenizers from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer, type EncodeOptions, longestFirstLengths } from '../src/index.js';
import { loadGoldens, UNCASED_DIR } from './goldens.js';

let tok: BertTokenizer;
let ref: InstanceType<typeof tokenizers.Tokenizer>;
beforeAll(async () => {
  tok = await BertTokenizer.fromPretrained(UNCASED_DIR);
  ref = tokenizers.Tokenizer.fromFile(`${UNCASED_DIR}tokenizer.json`);
});

const LETTERS = 'a b c d e f g h i j k l m n o p q r s t'; // 20 one-token words
const pairs = () =>
  [
    ...loadGoldens('glue-mrpc-dev.jsonl'),
    ...loadGoldens('glue-rte-dev.jsonl'),
    ...loadGoldens('adversarial.jsonl'),
  ]
    .filter((r) => r.text_pair !== null)
    .slice(0, 400);

/** Ids from the Rust library (0.23.2), or 'error'. Its overflowing windows are not compared (see README). */
async function refIds(a: string, b: string | null, maxLength: number, strategy: string, direction = 'right') {
  const rust = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' }[
    strategy
  ];
  ref.setTruncation(maxLength, { strategy: rust as never, direction: direction as never, stride: 0 });
  try {
    return (await ref.encode(a, b)).getIds();
  } catch {
    return 'error';
  }
}
function ourIds(a: string, b: string | null, options: EncodeOptions) {
  try {
    return tok.encode(a, b, options).input_ids;
  } catch {
    return 'error';
  }
}

describe('pair truncation rules', () => {
  it('longest_first gives the longer sequence the odd token (tokenizers <= 0.22)', () => {
    expect(longestFirstLengths(20, 16, 13)).toEqual([7, 6]);
    expect(longestFirstLengths(16, 20, 13)).toEqual([6, 7]);
    expect(longestFirstLengths(16, 16, 13)).toEqual([6, 7]);
    expect(longestFirstLengths(20, 2, 13)).toEqual([11, 2]);
    expect(longestFirstLengths(5, 6, 13)).toEqual([5, 6]);
  });

  it('tokenizers 0.23.2 differs from us exactly on the records the goldens list', async () => {
    let listed = 0;
    for (const r of pairs())
      for (const [variant, maxLength] of [
        ['max_length_16', 16],
        ['max_length_32_padded', 32],
      ] as const) {
        const same =
          JSON.stringify(await refIds(r.text, r.text_pair, maxLength, 'longest_first')) ===
          JSON.stringify(ourIds(r.text, r.text_pair, { maxLength }));
        const differs = r.tokenizers_0_23_differs.includes(variant);
        if (differs) listed++;
        expect(same, `${r.id} ${variant}`).toBe(!differs);
      }
    expect(listed).toBeGreaterThan(100);
  });

  it('only_first, only_second and left truncation match the library', async () => {
    for (const r of pairs().slice(0, 150))
      for (const strategy of ['only_first', 'only_second'] as const)
        for (const side of ['right', 'left'] as const) {
          const want = await refIds(r.text, r.text_pair, 24, strategy, side);
          expect(
            ourIds(r.text, r.text_pair, { maxLength: 24, truncation: strategy, truncationSide: side }),
            r.id,
          ).toEqual(want);
        }
  });
});

describe('overflowing windows', () => {
  it('single text, right and left, with stride', () => {
    const right = tok.encode(LETTERS, null, { maxLength: 12, stride: 2, returnOverflowingTokens: true });
    expect(right.tokens.slice(1, -1).join('')).toBe('abcdefghij');
    expect(right.overflowing!.map((e) => e.tokens.slice(1, -1).join(''))).toEqual(['ijklmnopqr', 'qrst']);
    const left = tok.encode(LETTERS, null, {
      maxLength: 12,
      stride: 2,
      returnOverflowingTokens: true,
      truncationSide: 'left',
    });
    expect(left.tokens.slice(1, -1).join('')).toBe('klmnopqrst');
    expect(left.overflowing!.map((e) => e.tokens.slice(1, -1).join(''))).toEqual(['cdefghijkl', 'abcd']);
  });

  it('question answering: only_second windows over the context, offsets into the context', () => {
    const question = 'who is it?';
    const context = LETTERS;
    const e = tok.encode(question, context, {
      truncation: 'only_second',
      maxLength: 14,
      stride: 2,
      returnOverflowingTokens: true,
    });
    // 14 - 3 special - 4 question tokens = 7 context tokens per window, 5 new per window.
    const windows = [e, ...e.overflowing!];
    expect(windows.map((w) => w.tokens.slice(6, -1).join(''))).toEqual([
      'abcdefg',
      'fghijkl',
      'klmnopq',
      'pqrst',
    ]);
    for (const w of windows) {
      expect(w.tokens.slice(0, 6)).toEqual(['[CLS]', 'who', 'is', 'it', '?', '[SEP]']);
      w.sequence_ids.forEach((s, i) => {
        if (s === 1) expect(context.slice(...w.offsets[i])).toBe(w.tokens[i]);
      });
    }
    const b = tok.encodeBatch(
      [
        [question, context],
        ['short', 'a b'],
      ],
      {
        truncation: 'only_second',
        maxLength: 14,
        stride: 2,
        returnOverflowingTokens: true,
        padding: 'max_length',
      },
    );
    expect(b.shape).toEqual([5, 14]);
    expect([...b.overflow_to_sample_mapping!]).toEqual([0, 0, 0, 0, 1]);
    expect(b.encodings).toHaveLength(5);
  });

  it('a pair cut on both sides lists windows in the library order', () => {
    const e = tok.encode('a b c d e f', 'u v w x y z', {
      maxLength: 9,
      stride: 1,
      returnOverflowingTokens: true,
    });
    const seq = (w: typeof e, id: number) => w.tokens.filter((_, i) => w.sequence_ids[i] === id).join('');
    const both = [e, ...e.overflowing!].map((w) => `${seq(w, 0)}|${seq(w, 1)}`);
    // Budget 6 -> 3 + 3. Windows of A: abc, cde, ef; of B: uvw, wxy, yz. Order of Encoding::merge_with.
    expect(both).toEqual([
      'abc|uvw',
      'cde|uvw',
      'cde|wxy',
      'cde|yz',
      'ef|uvw',
      'ef|wxy',
      'ef|yz',
      'abc|wxy',
      'abc|yz',
    ]);
  });
});

describe('padding and batches', () => {
  it('pads left or right, to a multiple, with pad id 0 and masks', () => {
    const e = tok.encode('role model', null, { padding: 'longest', padToMultipleOf: 8, paddingSide: 'left' });
    expect(e.input_ids).toEqual([0, 0, 0, 0, 101, 2535, 2944, 102]);
    expect(e.attention_mask).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(e.special_tokens_mask).toEqual([1, 1, 1, 1, 1, 0, 0, 1]);
    expect(e.word_ids).toEqual([null, null, null, null, null, 0, 1, null]);
    expect(e.tokens[0]).toBe('[PAD]');
    const m = tok.encode('role', null, { padding: 'max_length', maxLength: 6 });
    expect(m.input_ids).toEqual([101, 2535, 102, 0, 0, 0]);
  });

  it('encodeBatch returns a padded Int32Array rectangle', () => {
    const b = tok.encodeBatch(['role model', { text: 'fashion' }, ['business', 'modeling']]);
    expect(b.shape).toEqual([3, 5]);
    expect(b.input_ids).toBeInstanceOf(Int32Array);
    expect([...b.input_ids]).toEqual([
      101, 2535, 2944, 102, 0, 101, 4827, 102, 0, 0, 101, 2449, 102, 11643, 102,
    ]);
    expect([...b.attention_mask]).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    expect([...b.token_type_ids]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(b.encodings[2].sequence_ids).toEqual([null, 0, null, 1, null]);
    const noSpecial = tok.encode('role model', null, { addSpecialTokens: false });
    expect(noSpecial.input_ids).toEqual([2535, 2944]);
  });
});
