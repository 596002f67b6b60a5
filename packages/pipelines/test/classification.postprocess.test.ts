import { describe, expect, it } from 'vitest';
import {
  defaultFunctionToApply,
  textClassificationPostprocess,
} from '../src/postprocess/textClassification.js';
import {
  entailmentId,
  formatHypothesis,
  parseCandidateLabels,
  zeroShotPostprocess,
} from '../src/postprocess/zeroShot.js';
import type { ModelConfigLike } from '../src/types.js';
import { expected } from './helpers/fixtures.js';

describe('text-classification post-processing on the reference logits', async () => {
  const sst2 = await expected('sst2');
  const mnli = await expected('mnli');
  const stsb = await expected('stsb');

  it('chooses the function from problem_type and num_labels as Python does', () => {
    expect(defaultFunctionToApply(sst2.config as ModelConfigLike, 2)).toBe('softmax');
    expect(defaultFunctionToApply(mnli.config as ModelConfigLike, 3)).toBe('softmax'); // no problem_type
    expect(defaultFunctionToApply(stsb.config as ModelConfigLike, 1)).toBe('sigmoid'); // regression, 1 label
    expect(defaultFunctionToApply({ problem_type: 'multi_label_classification' }, 5)).toBe('sigmoid');
    expect(defaultFunctionToApply({}, 0)).toBe('none');
  });

  for (const [name, get] of [
    ['sst2', () => sst2],
    ['mnli', () => mnli],
  ] as const) {
    it(`${name}: softmax scores equal the reference probs, labels from id2label, every case and row`, () => {
      const exp = get();
      const config = exp.config as ModelConfigLike;
      let rows = 0;
      for (const c of exp.cases) {
        const logits = exp.tensor(c.id, 'logits');
        const probs = exp.tensor(c.id, 'probs');
        const n = exp.shape(c.id, 'logits')[1];
        for (let b = 0; b < c.batch; b++) {
          const row = logits.subarray(b * n, (b + 1) * n);
          const p = Array.from(probs.subarray(b * n, (b + 1) * n));
          const best = p.indexOf(Math.max(...p));
          const legacy = textClassificationPostprocess(row, config) as { label: string; score: number };
          expect(legacy).toEqual({ label: config.id2label![best], score: expect.closeTo(p[best], 6) });
          const all = textClassificationPostprocess(row, config, { top_k: null }) as {
            label: string;
            score: number;
          }[];
          expect(all.map((r) => r.label)).toEqual(
            p
              .map((_, i) => i)
              .sort((i, j) => p[j] - p[i])
              .map((i) => config.id2label![i]),
          );
          all.forEach((r) => {
            expect(r.score).toBeCloseTo(p[Number(config.label2id![r.label])], 6);
          });
          expect(textClassificationPostprocess(row, config, { top_k: 1 })).toEqual([all[0]]);
          rows++;
        }
      }
      expect(rows).toBeGreaterThan(10);
    });
  }

  it('stsb (regression, num_labels 1): sigmoid of the logit as Python; none gives the raw logit', () => {
    const config = stsb.config as ModelConfigLike;
    for (const c of stsb.cases) {
      const logits = stsb.tensor(c.id, 'logits');
      for (let b = 0; b < c.batch; b++) {
        const out = textClassificationPostprocess(logits.subarray(b, b + 1), config) as {
          label: string;
          score: number;
        };
        expect(out.label).toBe('LABEL_0');
        expect(out.score).toBeCloseTo(1 / (1 + Math.exp(-logits[b])), 12);
        const raw = textClassificationPostprocess(logits.subarray(b, b + 1), config, {
          function_to_apply: 'none',
        });
        expect(raw).toEqual({ label: 'LABEL_0', score: logits[b] });
      }
    }
  });

  it('full structure and bad input', () => {
    const out = textClassificationPostprocess([0.5, -0.5], sst2.config as ModelConfigLike, { top_k: 2 });
    expect(out).toEqual([
      { label: 'NEGATIVE', score: expect.any(Number) },
      { label: 'POSITIVE', score: expect.any(Number) },
    ]);
    expect(Object.keys((out as object[])[0])).toEqual(['label', 'score']);
    expect(() => textClassificationPostprocess([1, 2], {})).toThrow(/no id2label in its config\.json/);
    expect(() => textClassificationPostprocess([1, 2, 3], { id2label: { 0: 'a', 1: 'b' } })).toThrow(
      /no label for class 2/,
    );
    expect(() =>
      textClassificationPostprocess([1, 2], sst2.config as ModelConfigLike, {
        function_to_apply: 'tanh' as 'none',
      }),
    ).toThrow(/function_to_apply/);
  });
});

describe('zero-shot post-processing on the reference NLI logits', async () => {
  const mnli = await expected('mnli');
  const config = mnli.config as ModelConfigLike;
  // Three (premise, hypothesis) rows standing for three candidate labels.
  const ids = ['entail', 'neutral', 'contradict'];
  const logits = ids.map((id) => mnli.tensor(id, 'logits'));
  const probs = ids.map((id) => mnli.tensor(id, 'probs'));
  const labels = ['sports', 'politics', 'cooking'];

  it('finds the entailment id in label2id', () => {
    expect(entailmentId(config)).toBe(0);
    expect(entailmentId({ label2id: { CONTRADICTION: 0, ENTAILMENT: 2 } })).toBe(2);
    expect(entailmentId({ label2id: { LABEL_0: 0 } })).toBe(-1);
  });

  it('single-label: softmax of the entailment logits across the labels', () => {
    const out = zeroShotPostprocess('text', labels, logits, 0);
    const e = logits.map((l) => Math.exp(l[0]));
    const want = e.map((x) => x / e.reduce((a, b) => a + b, 0));
    const order = [0, 1, 2].sort((a, b) => want[b] - want[a]);
    expect(out).toEqual({
      sequence: 'text',
      labels: order.map((i) => labels[i]),
      scores: order.map((i) => expect.closeTo(want[i], 12)),
    });
  });

  it('multi_label: each label alone, entailment vs contradiction (from the reference probs)', () => {
    const out = zeroShotPostprocess('text', labels, logits, 0, true);
    const want = probs.map((p) => p[0] / (p[0] + p[2])); // contradiction is the last class when entailment is 0
    out.labels.forEach((l, i) => {
      expect(out.scores[i]).toBeCloseTo(want[labels.indexOf(l)], 6);
    });
    expect([...out.scores].sort((a, b) => b - a)).toEqual(out.scores);
    // One label is scored the multi-label way, as in Python.
    expect(zeroShotPostprocess('text', ['x'], [logits[0]], 0).scores[0]).toBeCloseTo(want[0], 6);
  });

  it('labels and templates are parsed as Python does, bad ones rejected', () => {
    expect(parseCandidateLabels('a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(formatHypothesis('This example is {}.', 'sports')).toBe('This example is sports.');
    expect(() => formatHypothesis('No slot here.', 'sports')).toThrow(/not able to be formatted/);
  });
});
