import type { Example } from './example.js';

/**
 * Example indices grouped into batches of similar length (by characters, a cheap proxy for tokens), so that
 * padding to each batch's longest row wastes little. Ties keep file order, so batches are deterministic.
 */
export function lengthBuckets(examples: readonly Example[], batchSize: number): number[][] {
  const len = (e: Example) => e.textA.length + (e.textB?.length ?? 0);
  const order = examples.map((_, i) => i).sort((a, b) => len(examples[a]) - len(examples[b]) || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
