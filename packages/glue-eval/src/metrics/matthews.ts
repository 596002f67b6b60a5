import { checkSameLength } from './checkSameLength.js';

/**
 * Matthews correlation coefficient for any number of classes, computed from the confusion matrix the way
 * sklearn.metrics.matthews_corrcoef does; 0 when either marginal is constant (sklearn's convention).
 */
export function matthewsCorrcoef(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  checkSameLength(labels, predictions);
  const t = new Map<number, number>();
  const p = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    t.set(labels[i], (t.get(labels[i]) ?? 0) + 1);
    p.set(predictions[i], (p.get(predictions[i]) ?? 0) + 1);
    if (labels[i] === predictions[i]) correct++;
  }
  const s = labels.length;
  let pt = 0;
  let pp = 0;
  let tt = 0;
  for (const [k, pk] of p) {
    pt += pk * (t.get(k) ?? 0);
    pp += pk * pk;
  }
  for (const tk of t.values()) tt += tk * tk;
  const covYtYp = correct * s - pt;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}
