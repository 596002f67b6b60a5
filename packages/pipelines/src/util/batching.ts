import type { EncodingLike } from '../types.js';

/** Model inputs for one batch, padded on the right to its longest row. */
export interface PaddedBatch {
  input_ids: Int32Array;
  attention_mask: Int32Array;
  shape: [batch: number, seq: number];
}

/** Right-pads the rows to the longest of them (dynamic padding). */
export function padBatch(rows: readonly EncodingLike[], padTokenId: number): PaddedBatch {
  const seq = Math.max(...rows.map((r) => r.input_ids.length));
  const input_ids = new Int32Array(rows.length * seq).fill(padTokenId);
  const attention_mask = new Int32Array(rows.length * seq);
  rows.forEach((r, b) => {
    input_ids.set(Array.from(r.input_ids), b * seq);
    attention_mask.set(Array.from(r.attention_mask), b * seq);
  });
  return { input_ids, attention_mask, shape: [rows.length, seq] };
}

/**
 * Groups row indices into batches of at most `batchSize`, longest rows first, so each batch pads little.
 * Callers write results back by index, which restores the input order.
 */
export function planBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
