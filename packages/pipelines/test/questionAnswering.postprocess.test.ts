import { describe, expect, it } from 'vitest';
import { answerMask, questionAnsweringPostprocess } from '../src/postprocess/questionAnswering.js';
import { expected, fixtureEncoding } from './helpers/fixtures.js';

interface Answer {
  score: number;
  start: number;
  end: number;
  answer: string;
}

describe('question-answering post-processing on the reference start/end logits', async () => {
  const squad = await expected('squad');

  function span(id: string, b = 0) {
    const c = squad.case(id);
    const enc = fixtureEncoding(c.texts![b], c.tokens[b], c.input_ids[b]);
    const n = enc.tokens.length;
    const at = b * c.seq_len;
    return {
      context: c.texts![b][1],
      span: {
        encoding: enc,
        startLogits: squad.tensor(id, 'start_logits').subarray(at, at + n),
        endLogits: squad.tensor(id, 'end_logits').subarray(at, at + n),
      },
    };
  }

  /** Brute force, written independently: all (s, e) over context tokens, probabilities over context + [CLS]. */
  function bruteForce(s: ReturnType<typeof span>['span'], maxLen = 15) {
    const enc = s.encoding;
    const allowed = enc.tokens.map((_, t) => t === 0 || enc.sequence_ids[t] === 1);
    const probs = (logits: ArrayLike<number>) => {
      const e = allowed.map((ok, t) => (ok ? Math.exp(logits[t]) : 0));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / z);
    };
    const ps = probs(s.startLogits);
    const pe = probs(s.endLogits);
    const all: { s: number; e: number; score: number }[] = [];
    for (let i = 1; i < ps.length; i++) {
      for (let j = i; j < Math.min(ps.length, i + maxLen); j++) {
        if (enc.sequence_ids[i] === 1 && enc.sequence_ids[j] === 1)
          all.push({ s: i, e: j, score: ps[i] * pe[j] });
      }
    }
    all.sort((a, b) => b.score - a.score);
    return { all, nullScore: ps[0] * pe[0] };
  }

  it.each(['simple', 'when', 'numbers', 'unicode'])(
    '%s: the best span, its score, and its characters',
    (id) => {
      const { context, span: s } = span(id);
      const out = questionAnsweringPostprocess([s], context, 101) as Answer;
      const best = bruteForce(s).all[0];
      expect(Object.keys(out)).toEqual(['score', 'start', 'end', 'answer']);
      expect(out.score).toBeCloseTo(best.score, 9);
      expect(out.answer).toBe(context.slice(out.start, out.end));
      // The span is widened to whole words: it starts at the first token's word and ends at the last's.
      const enc = s.encoding;
      const inContext = (w: number | null) =>
        enc.word_ids.map((x, t) => (x === w && enc.sequence_ids[t] === 1 ? t : -1));
      const first = inContext(enc.word_ids[best.s]).find((t) => t >= 0)!;
      const last = inContext(enc.word_ids[best.e]).findLast((t) => t >= 0)!;
      const [wordStart, wordEnd] = [enc.offsets[first][0], enc.offsets[last][1]];
      expect([out.start, out.end]).toEqual([wordStart, wordEnd]);
    },
  );

  it('top_k, max_answer_len and handle_impossible_answer', () => {
    const { context, span: s } = span('simple');
    const top = questionAnsweringPostprocess([s], context, 101, { top_k: 3 }) as Answer[];
    const ref = bruteForce(s).all;
    expect(top.map((a) => a.score)).toEqual(ref.slice(0, 3).map((r) => expect.closeTo(r.score, 9)));
    const short = questionAnsweringPostprocess([s], context, 101, {
      top_k: 50,
      max_answer_len: 1,
    }) as Answer[];
    expect(short.length).toBeGreaterThan(1);
    for (const a of short) expect(a.answer).not.toMatch(/\s/); // one token: never two words
    const withNull = questionAnsweringPostprocess([s], context, 101, {
      top_k: 100,
      handle_impossible_answer: true,
    }) as Answer[];
    const nul = withNull.find((a) => a.answer === '' && a.start === 0 && a.end === 0);
    expect(nul?.score).toBeCloseTo(bruteForce(s).nullScore, 9);
  });

  it('several windows: answers merged and sorted across them', () => {
    const a = span('simple');
    const two = questionAnsweringPostprocess([a.span, a.span], a.context, 101, { top_k: 2 }) as Answer[];
    expect(two).toHaveLength(2);
    expect(two[0]).toEqual(two[1]); // the same window twice gives the best answer twice
  });

  it('p_mask keeps [CLS] and the context only', () => {
    const { span: s } = span('simple');
    const mask = answerMask(s.encoding, 101);
    expect(mask[0]).toBe(0);
    s.encoding.sequence_ids.forEach((seq, t) => {
      if (t > 0) expect(mask[t]).toBe(seq === 1 ? 0 : 1);
    });
  });

  it('rejects bad top_k and max_answer_len', () => {
    const { context, span: s } = span('simple');
    expect(() => questionAnsweringPostprocess([s], context, 101, { top_k: 0 })).toThrow(
      /top_k parameter should be >= 1/,
    );
    expect(() => questionAnsweringPostprocess([s], context, 101, { max_answer_len: 0 })).toThrow(
      /max_answer_len parameter should be >= 1/,
    );
  });
});
