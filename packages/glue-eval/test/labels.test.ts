import { describe, expect, it } from 'vitest';
import { LabelMappingError } from '../src/errors.js';
import { alignLabels, parseLabelMap } from '../src/labels.js';
import { TASKS } from '../src/tasks.js';

describe('label alignment', () => {
  it('matches names, in any order and case, with common synonyms', () => {
    expect(
      Array.from(alignLabels(TASKS.mnli, { 0: 'CONTRADICTION', 1: 'entailment', 2: 'Neutral' }).modelToTask),
    ).toEqual([2, 0, 1]);
    expect(Array.from(alignLabels(TASKS.sst2, { 0: 'NEGATIVE', 1: 'POSITIVE' }).modelToTask)).toEqual([0, 1]);
    expect(Array.from(alignLabels(TASKS.cola, { 0: 'acceptable', 1: 'unacceptable' }).modelToTask)).toEqual([
      1, 0,
    ]);
    expect(Array.from(alignLabels(TASKS.mrpc, { 0: 'equivalent', 1: 'not_equivalent' }).modelToTask)).toEqual(
      [1, 0],
    );
    expect(Array.from(alignLabels(TASKS.qqp, { 0: 'not duplicate', 1: 'duplicate' }).modelToTask)).toEqual([
      0, 1,
    ]);
    expect(Array.from(alignLabels(TASKS.rte, { 0: 'not_entailment', 1: 'entailment' }).modelToTask)).toEqual([
      1, 0,
    ]);
    expect(alignLabels(TASKS.sst2, { 0: 'neg', 1: 'pos' }).method).toBe('names');
  });

  it('uses index order only for LABEL_k names', () => {
    const a = alignLabels(TASKS.mnli, { 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2' });
    expect(a.method).toBe('index');
    expect(Array.from(a.modelToTask)).toEqual([0, 1, 2]);
    // LABEL_k out of order is not an index order: refused
    expect(() => alignLabels(TASKS.sst2, { 0: 'LABEL_1', 1: 'LABEL_0' })).toThrow(/match no SST-2 label/);
  });

  it('applies --label-map by name or output index', () => {
    const map = parseLabelMap('LABEL_0=positive, LABEL_1=negative');
    expect(Array.from(alignLabels(TASKS.sst2, { 0: 'LABEL_0', 1: 'LABEL_1' }, map).modelToTask)).toEqual([
      1, 0,
    ]);
    expect(
      Array.from(
        alignLabels(TASKS.sst2, { 0: 'good', 1: 'bad' }, parseLabelMap('{"0":"positive","1":"negative"}'))
          .modelToTask,
      ),
    ).toEqual([1, 0]);
    expect(() => alignLabels(TASKS.sst2, { 0: 'a', 1: 'b' }, { a: 'positive', b: 'meh' })).toThrow(
      /'meh', which is not a SST-2 label/,
    );
    expect(() => parseLabelMap('nonsense')).toThrow(/MODEL_LABEL=TASK_LABEL/);
  });

  it('refuses a model whose number of labels does not fit', () => {
    expect(() => alignLabels(TASKS.mnli, { 0: 'NEGATIVE', 1: 'POSITIVE' }, undefined, 'sst2-model')).toThrow(
      new LabelMappingError(
        'sst2-model has 2 label(s) (NEGATIVE, POSITIVE) but MNLI-m has 3 (entailment, neutral, contradiction); ' +
          'use a checkpoint fine-tuned on MNLI-m.',
      ),
    );
    expect(() => alignLabels(TASKS.stsb, { 0: 'NEGATIVE', 1: 'POSITIVE' })).toThrow(/regression task/);
    expect(alignLabels(TASKS.stsb, { 0: 'LABEL_0' }).method).toBe('regression');
  });

  it('refuses unknown names and two outputs on one label, suggesting --label-map', () => {
    expect(() => alignLabels(TASKS.sst2, { 0: 'happy', 1: 'sad' })).toThrow(
      /--label-map, e.g. happy=negative,sad=positive/,
    );
    expect(() => alignLabels(TASKS.sst2, { 0: 'positive', 1: 'pos' })).toThrow(/map two outputs to one/);
  });
});
