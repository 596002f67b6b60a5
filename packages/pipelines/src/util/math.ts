// Numerics of the post-processing, in float64 like numpy's reductions over float32 logits (the last bits
// may differ from Python's float32 results; scores agree to ~1e-7).

/** Numerically stable softmax of one row. */
export function softmax(row: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  const out = new Float64Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    out[i] = Math.exp(row[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < row.length; i++) out[i] /= sum;
  return out;
}

export function sigmoid(row: ArrayLike<number>): Float64Array {
  return Float64Array.from(row as ArrayLike<number>, (x) => 1 / (1 + Math.exp(-x)));
}

/** Index of the largest value; the first one on ties (numpy's argmax). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Indices of the k largest values, descending; ties keep the lower index first. */
export function topk(row: ArrayLike<number>, k: number): number[] {
  k = Math.min(k, row.length);
  // Insertion into a sorted buffer of k: k is tiny next to the vocabulary, so this is O(n k) with a low constant.
  const idx: number[] = [];
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (idx.length === k && !(v > row[idx[k - 1]])) continue;
    if (idx.length === k) idx.pop();
    let j = idx.length;
    idx.push(i);
    while (j > 0 && v > row[idx[j - 1]]) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = i;
  }
  return idx;
}
