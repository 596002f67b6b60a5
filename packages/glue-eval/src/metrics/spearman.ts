import { checkSameLength } from './checkSameLength.js';
import { pearson } from './pearson.js';

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata(method='average')). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1..end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's rho (scipy.stats.spearmanr): Pearson's r of the average ranks; NaN for constant input. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSameLength(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}
