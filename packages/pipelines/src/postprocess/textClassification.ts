import { badInput, badModel } from '../errors.js';
import type { ModelConfigLike } from '../types.js';
import { argmax, sigmoid, softmax } from '../util/math.js';

export type ClassificationFunction = 'softmax' | 'sigmoid' | 'none';

export interface ClassificationResult {
  label: string;
  score: number;
}

/**
 * Python's default `function_to_apply`: sigmoid for multi-label or a single output (regression included,
 * as Python does), softmax for single-label or several outputs, else none.
 */
export function defaultFunctionToApply(config: ModelConfigLike, numLabels: number): ClassificationFunction {
  if (config.problem_type === 'multi_label_classification' || numLabels === 1) return 'sigmoid';
  if (config.problem_type === 'single_label_classification' || numLabels > 1) return 'softmax';
  return 'none';
}

/** The label of class `i`, with an error that says how to fix a config without labels. */
export function labelOf(config: ModelConfigLike, i: number): string {
  const label = config.id2label?.[i] ?? config.id2label?.[String(i)];
  if (label === undefined) {
    throw badModel(
      config.id2label
        ? `config.json's id2label has no label for class ${i}; add it ("id2label": {"${i}": "..."}).`
        : 'This classifier has no id2label in its config.json, so its outputs cannot be named. Add "id2label" (and "label2id") to config.json, e.g. {"0": "NEGATIVE", "1": "POSITIVE"}.',
    );
  }
  return label;
}

export interface TextClassificationPostprocessOptions {
  function_to_apply?: ClassificationFunction;
  /**
   * undefined: Python's legacy single best `{label, score}`; a number: that many best, sorted;
   * null: every label, sorted.
   */
  top_k?: number | null;
}

/** Python's TextClassificationPipeline.postprocess for one row of logits. */
export function textClassificationPostprocess(
  logits: ArrayLike<number>,
  config: ModelConfigLike,
  options: TextClassificationPostprocessOptions = {},
): ClassificationResult | ClassificationResult[] {
  // Python accepts the enum's names in any case ("SOFTMAX", "softmax").
  const fn = (options.function_to_apply?.toLowerCase() ??
    defaultFunctionToApply(config, logits.length)) as ClassificationFunction;
  let scores: ArrayLike<number>;
  if (fn === 'softmax') scores = softmax(logits);
  else if (fn === 'sigmoid') scores = sigmoid(logits);
  else if (fn === 'none') scores = Float64Array.from(logits as ArrayLike<number>);
  else throw badInput(`Unrecognized function_to_apply '${fn as string}': use softmax, sigmoid or none.`);

  if (options.top_k === undefined) {
    const i = argmax(scores);
    return { label: labelOf(config, i), score: scores[i] };
  }
  const all = Array.from(scores, (score, i) => ({ label: labelOf(config, i), score }));
  all.sort((a, b) => b.score - a.score); // stable, as Python's sorted
  if (options.top_k === null) return all;
  if (!Number.isInteger(options.top_k) || options.top_k < 1) {
    throw badInput(`top_k must be a positive integer or null (got ${options.top_k}).`);
  }
  return all.slice(0, options.top_k);
}
