import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

/** LayerNormalization (opset 17) over the last axis. */
export function lowerLayerNorm(
  ctx: LowerContext,
  i: { x: Val; gamma: Val; beta: Val },
  attrs: { epsilon: number },
): Val {
  const out = ctx.g.op('LayerNormalization', [i.x.name, i.gamma.name, i.beta.name], {
    axis: -1,
    epsilon: { float: attrs.epsilon },
  });
  return val(out, i.x.elem, i.x.shape);
}
