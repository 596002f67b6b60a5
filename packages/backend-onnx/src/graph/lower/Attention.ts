import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';
import { additiveMask } from './mask.js';

/**
 * Multi-head attention as HF's graph exports it: Reshape [0, 0, H, hd] / Transpose to heads, q · scale,
 * 4-D MatMul with kᵀ, the additive mask [B, 1, 1, S], Softmax, MatMul with v, back to [B, S, H·hd].
 */
export function lowerAttention(
  ctx: LowerContext,
  i: { q: Val; k: Val; v: Val; mask: Val },
  attrs: { numHeads: number; scale: number },
): Val {
  const { g } = ctx;
  const [b, s, d] = i.q.shape;
  const h = attrs.numHeads;
  const hd = d / h;
  const split = g.constInt64([0, 0, h, hd]);
  const heads = (x: Val, perm: number[]) => g.op('Transpose', [g.op('Reshape', [x.name, split])], { perm });
  const q = g.op('Mul', [heads(i.q, [0, 2, 1, 3]), g.constScalar('float32', attrs.scale)]);
  const kT = heads(i.k, [0, 2, 3, 1]);
  const scores = g.op('Add', [g.op('MatMul', [q, kT]), additiveMask(ctx, i.mask, 4)]);
  const probs = g.op('Softmax', [scores], { axis: -1 });
  const ctxHeads = g.op('MatMul', [probs, heads(i.v, [0, 2, 1, 3])]);
  const merged = g.op('Transpose', [ctxHeads], { perm: [0, 2, 1, 3] });
  return val(g.op('Reshape', [merged, g.constInt64([0, 0, d])]), i.q.elem, [b, s, d]);
}
