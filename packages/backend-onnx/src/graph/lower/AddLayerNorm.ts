import type { Val } from '../GraphBuilder.js';
import { lowerAdd } from './Add.js';
import type { LowerContext } from './context.js';
import { lowerLayerNorm } from './LayerNorm.js';

/** LayerNorm(x + residual): Add then LayerNormalization (ORT fuses the pair into SkipLayerNormalization). */
export function lowerAddLayerNorm(
  ctx: LowerContext,
  i: { x: Val; residual: Val; gamma: Val; beta: Val },
  attrs: { epsilon: number },
): Val {
  const sum = lowerAdd(ctx, { a: i.x, b: i.residual });
  return lowerLayerNorm(ctx, { x: sum, gamma: i.gamma, beta: i.beta }, attrs);
}
