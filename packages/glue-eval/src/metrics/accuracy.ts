import { checkSameLength } from './checkSameLength.js';

/** Fraction of predictions equal to the labels (sklearn.metrics.accuracy_score). */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  checkSameLength(labels, predictions);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) hits++;
  return hits / labels.length;
}
