import { MASK_FILL } from '@distilbert/core';
import type { Val } from '../GraphBuilder.js';
import type { LowerContext } from './context.js';

/**
 * The additive key mask for scores of rank `rank`: 0 where attention_mask is 1, finfo(float32).min where
 * it is 0, shaped [B, 1, …, 1, Sk]. Built once per mask and rank, shared by every layer.
 */
export function additiveMask(ctx: LowerContext, mask: Val, rank: number): string {
  const { g } = ctx;
  return g.cached(`mask:${mask.name}:${rank}`, () => {
    const zero = g.constScalar(mask.elem === 'int64' ? 'int64' : 'int32', 0);
    const masked = g.op('Equal', [mask.name, zero]);
    const fill = g.op('Where', [masked, g.constScalar('float32', MASK_FILL), g.constScalar('float32', 0)]);
    if (rank === 2) return fill;
    const axes = Array.from({ length: rank - 2 }, (_, k) => k + 1);
    return g.op('Unsqueeze', [fill, g.constInt64(axes)]);
  });
}
