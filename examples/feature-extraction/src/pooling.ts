/**
 * Mean pooling: each row's token vectors averaged over the tokens its attention mask keeps (padding is
 * left out), as sentence-transformers does. `hidden` is last_hidden_state [batch, seq, dim], row-major.
 */
export function meanPool(
  hidden: Float32Array,
  attentionMask: Int32Array,
  [batch, seq, dim]: readonly number[],
): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dim);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (attentionMask[b * seq + s] === 0) continue;
      count++;
      const at = (b * seq + s) * dim;
      for (let d = 0; d < dim; d++) sum[d] += hidden[at + d];
    }
    rows.push(Float32Array.from(sum, (x) => x / Math.max(count, 1)));
  }
  return rows;
}

/** cos(a, b) = a·b / (|a| |b|), in float64. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
