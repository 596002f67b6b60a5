import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy, averageRanks, f1, matthewsCorrcoef, pearson, spearman } from '../src/metrics/index.js';
import { glueAverage, taskScore } from '../src/scoring.js';

interface Case {
  name: string;
  kind: 'classification' | 'regression';
  labels: number[];
  predictions: number[];
  [metric: string]: unknown;
}
const goldens = JSON.parse(
  readFileSync(new URL('../../../fixtures/metrics/metrics-goldens.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

const expectClose = (actual: number, expected: unknown) => {
  if (expected === 'NaN') expect(actual).toBeNaN();
  else expect(Math.abs(actual - (expected as number))).toBeLessThanOrEqual(1e-9);
};

describe('metrics equal scikit-learn / scipy on the goldens (1e-9)', () => {
  const classification = goldens.cases.filter((c) => c.kind === 'classification');
  const regression = goldens.cases.filter((c) => c.kind === 'regression');
  it('has both kinds of cases', () => {
    expect(classification.length).toBeGreaterThanOrEqual(9);
    expect(regression.length).toBeGreaterThanOrEqual(5);
  });
  it.each(classification.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectClose(accuracy(c.labels, c.predictions), c.accuracy);
    expectClose(matthewsCorrcoef(c.labels, c.predictions), c.matthews_corrcoef);
    if (c.f1_binary_pos1 !== null) expectClose(f1(c.labels, c.predictions), c.f1_binary_pos1);
  });
  it.each(regression.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectClose(pearson(c.labels, c.predictions), c.pearson);
    expectClose(spearman(c.labels, c.predictions), c.spearman);
  });
});

describe('metric details', () => {
  it('gives tied values their average rank', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });
  it('refuses inputs of different lengths or no input', () => {
    expect(() => accuracy([1, 0], [1])).toThrow(/differ in length/);
    expect(() => pearson([], [])).toThrow(/at least one/);
  });
});

describe('GLUE average (leaderboard rule)', () => {
  it('averages two-metric tasks first, MNLI-m with MNLI-mm, and leaves AX out', () => {
    expect(taskScore({ f1: 0.9, accuracy: 0.8 })).toBeCloseTo(0.85, 15);
    const avg = glueAverage({
      cola: 0.5,
      sst2: 0.9,
      mrpc: 0.85,
      stsb: 0.8,
      qqp: 0.88,
      mnli: 0.82,
      'mnli-mm': 0.84,
      qnli: 0.89,
      rte: 0.6,
      wnli: 0.56,
      ax: 0.3,
    });
    expect(avg.taskScores.mnli).toBeCloseTo(0.83, 15);
    expect(avg.complete).toBe(true);
    expect(avg.score).toBeCloseTo((0.5 + 0.9 + 0.85 + 0.8 + 0.88 + 0.83 + 0.89 + 0.6 + 0.56) / 9, 15);
  });
  it('marks a partial table as not comparable', () => {
    const avg = glueAverage({ sst2: 0.9, rte: 0.6 });
    expect(avg.complete).toBe(false);
    expect(avg.score).toBeCloseTo(0.75, 15);
    expect(glueAverage({}).score).toBeNaN();
  });
});
