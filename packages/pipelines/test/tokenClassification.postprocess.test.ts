import { describe, expect, it } from 'vitest';
import { tokenClassificationPostprocess } from '../src/postprocess/tokenClassification.js';
import { convertTokensToString } from '../src/postprocess/wordpiece.js';
import type { ModelConfigLike } from '../src/types.js';
import { expected, fixtureEncoding, refSoftmax } from './helpers/fixtures.js';

describe('token-classification post-processing', async () => {
  const ner = await expected('ner');
  const config = ner.config as ModelConfigLike;
  const labels = Object.values(config.id2label!);
  const L = labels.length;

  function caseInput(id: string, b = 0) {
    const c = ner.case(id);
    const enc = fixtureEncoding(c.texts![b], c.tokens[b], c.input_ids[b]);
    const all = ner.tensor(id, 'logits');
    const logits = all.subarray(b * c.seq_len * L, (b * c.seq_len + enc.tokens.length) * L);
    return { text: c.texts![b][0], enc, logits };
  }

  it.each(['people_place', 'org_loc', 'multi_piece_names', 'accents', 'lowercase_misc'])(
    "%s, aggregation 'none': per-token argmax label and softmax score of the reference logits, O dropped",
    (id) => {
      const { text, enc, logits } = caseInput(id);
      const out = tokenClassificationPostprocess(text, enc, logits, config, 100, {}) as unknown as Record<
        string,
        unknown
      >[];
      const want = enc.tokens
        .map((token, t) => {
          const p = refSoftmax(logits.subarray(t * L, (t + 1) * L));
          const best = p.indexOf(Math.max(...p));
          return { t, token, label: labels[best], score: p[best] };
        })
        .filter((w) => !enc.special_tokens_mask[w.t] && w.label !== 'O');
      expect(out.map((e) => e.index)).toEqual(want.map((w) => w.t));
      out.forEach((e, i) => {
        expect(Object.keys(e)).toEqual(['entity', 'score', 'index', 'word', 'start', 'end']);
        expect(e.entity).toBe(want[i].label);
        expect(e.score).toBeCloseTo(want[i].score, 6);
        expect(e.word).toBe(want[i].token);
        // start/end index the original text: the token's characters (lowercased, accents dropped).
        const piece = want[i].token.replace(/^##/, '');
        expect(
          text
            .slice(e.start as number, e.end as number)
            .normalize('NFD')
            .replace(/\p{Mn}/gu, '')
            .toLowerCase(),
        ).toBe(piece);
      });
    },
  );

  it("every strategy returns Python's keys; grouped entities cover words of the text", () => {
    const { text, enc, logits } = caseInput('multi_piece_names');
    for (const s of ['simple', 'first', 'average', 'max'] as const) {
      const out = tokenClassificationPostprocess(text, enc, logits, config, 100, {
        aggregation_strategy: s,
        ignore_labels: [],
      }) as unknown as Record<string, unknown>[];
      expect(out.length).toBeGreaterThan(0);
      for (const e of out) {
        expect(Object.keys(e)).toEqual(['entity_group', 'score', 'word', 'start', 'end']);
        expect(['O', 'PER', 'ORG', 'LOC', 'MISC']).toContain(e.entity_group);
        expect(typeof e.score).toBe('number');
      }
      // With nothing ignored, the groups tile the non-special tokens in order.
      expect(convertTokensToString(out.map((e) => e.word as string))).toBe(
        convertTokensToString(enc.tokens.filter((_, t) => !enc.special_tokens_mask[t])),
      );
      if (s !== 'simple') {
        // Word strategies never split a word: every group starts at a word start.
        for (const e of out) {
          const at = e.start as number;
          expect(/\w/.test(text[at - 1] ?? ' ') && /\w/.test(text[at])).toBe(false);
        }
      }
    }
  });

  // "angela mer ##kel met": hand-set scores that tell the word strategies apart.
  it('first / average / max / simple follow Python on a word split into pieces', () => {
    const { text, enc } = caseInput('people_place');
    const lab = (name: string) => labels.indexOf(name);
    const rows = enc.tokens.map(() => new Float32Array(L).fill(Math.log(1e-4)));
    const set = (t: number, scores: Record<string, number>) => {
      for (const [k, v] of Object.entries(scores)) rows[t][lab(k)] = Math.log(v);
    };
    for (let t = 0; t < rows.length; t++) set(t, { O: 0.9, 'B-PER': 0.05, 'I-PER': 0.05 });
    // [CLS]=0 angela=1 mer=2 ##kel=3 met=4
    set(1, { O: 0.05, 'B-PER': 0.9, 'I-PER': 0.05 });
    set(2, { O: 0.05, 'B-PER': 0.05, 'I-PER': 0.6, 'B-LOC': 0.3 });
    set(3, { O: 0.02, 'B-PER': 0.02, 'I-PER': 0.01, 'B-LOC': 0.95 });
    const logits = new Float32Array(rows.length * L);
    rows.forEach((r, t) => {
      logits.set(r, t * L);
    });
    const run = (s: 'simple' | 'first' | 'average' | 'max') =>
      tokenClassificationPostprocess(text, enc, logits, config, 100, { aggregation_strategy: s }) as {
        entity_group: string;
        word: string;
        start: number;
        end: number;
        score: number;
      }[];
    const p = (t: number) => refSoftmax(rows[t]);
    // first: the word takes its first piece's label (I-PER) → joins "angela" as one PER.
    expect(run('first').map((e) => [e.entity_group, e.word, e.start, e.end])).toEqual([
      ['PER', 'angela merkel', 0, 13],
    ]);
    expect(run('first')[0].score).toBeCloseTo((p(1)[lab('B-PER')] + p(2)[lab('I-PER')]) / 2, 6);
    // max: the piece with the highest top score (##kel, B-LOC 0.95) labels the whole word.
    expect(run('max').map((e) => [e.entity_group, e.word])).toEqual([
      ['PER', 'angela'],
      ['LOC', 'merkel'],
    ]);
    // average: mean of the pieces' scores; B-LOC (0.625) beats I-PER (0.305).
    const avg = run('average');
    expect(avg.map((e) => [e.entity_group, e.word])).toEqual([
      ['PER', 'angela'],
      ['LOC', 'merkel'],
    ]);
    expect(avg[1].score).toBeCloseTo((p(2)[lab('B-LOC')] + p(3)[lab('B-LOC')]) / 2, 6);
    // simple: tokens grouped by tag, B- starts a new group, pieces may split.
    expect(run('simple').map((e) => [e.entity_group, e.word])).toEqual([
      ['PER', 'angela mer'],
      ['LOC', '##kel'],
    ]);
  });

  it('rejects an unknown strategy', () => {
    const { text, enc, logits } = caseInput('people_place');
    expect(() =>
      tokenClassificationPostprocess(text, enc, logits, config, 100, {
        aggregation_strategy: 'mean' as 'max',
      }),
    ).toThrow(/Invalid aggregation_strategy 'mean'/);
  });
});
