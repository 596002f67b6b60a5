import { checkSameLength } from './checkSameLength.js';

/**
 * Binary F1 of the class `positive` (default 1), as sklearn's f1_score(pos_label=1, zero_division=0):
 * 0 when there are neither true nor predicted positives.
 */
export function f1(labels: ArrayLike<number>, predictions: ArrayLike<number>, positive = 1): number {
  checkSameLength(labels, predictions);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i] === positive;
    const p = predictions[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}
