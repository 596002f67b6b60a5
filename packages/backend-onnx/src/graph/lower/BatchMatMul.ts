import type { Val } from '../GraphBuilder.js';
import { broadcast, type LowerContext, val } from './context.js';

function swapLast(ctx: LowerContext, v: Val): Val {
  const r = v.shape.length;
  const perm = [...Array(r - 2).keys(), r - 1, r - 2];
  return val(
    ctx.g.op('Transpose', [v.name], { perm }),
    v.elem,
    perm.map((p) => v.shape[p]),
  );
}

/** MatMul, with a Transpose of the last two axes for transposeA/transposeB (folded by ORT for weights). */
export function lowerBatchMatMul(
  ctx: LowerContext,
  i: { a: Val; b: Val },
  attrs: { transposeA: boolean; transposeB: boolean },
): Val {
  const a = attrs.transposeA ? swapLast(ctx, i.a) : i.a;
  const b = attrs.transposeB ? swapLast(ctx, i.b) : i.b;
  const m = a.shape[a.shape.length - 2];
  const n = b.shape[b.shape.length - 1];
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return val(ctx.g.op('MatMul', [a.name, b.name]), a.elem, [...batch, m, n]);
}
