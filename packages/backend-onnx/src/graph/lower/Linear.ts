import type { Activation } from '@distilbert/core';
import type { Val } from '../GraphBuilder.js';
import { lowerActivation } from './activations.js';
import { type LowerContext, val } from './context.js';

function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

/**
 * x [..., in] · weightᵀ + bias. Rank-2 inputs use Gemm(transB=1), which reads the [out, in] weight as
 * stored (the tied MLM projector shares the word-embedding initializer). Higher ranks use MatMul with the
 * weight stored transposed, [in, out], as torch.onnx does.
 */
export function lowerLinear(
  ctx: LowerContext,
  i: { x: Val; weight: Val; bias?: Val },
  attrs: { activation: Activation },
): Val {
  const { g } = ctx;
  const [out, inDim] = i.weight.shape;
  const shape = [...i.x.shape.slice(0, -1), out];
  let y: Val;
  if (i.x.shape.length === 2) {
    const inputs = [i.x.name, i.weight.name, ...(i.bias ? [i.bias.name] : [])];
    y = val(g.op('Gemm', inputs, { transB: 1 }), i.x.elem, shape);
  } else {
    const w = ctx.constantOf(i.weight);
    const wt = w
      ? g.cached(`wT:${i.weight.name}`, () =>
          g.initializer(`${i.weight.name}.T`, 'float32', [inDim, out], transposed(w, out, inDim)),
        )
      : g.op('Transpose', [i.weight.name], { perm: [1, 0] });
    y = val(g.op('MatMul', [i.x.name, wt]), i.x.elem, shape);
    if (i.bias) y = val(g.op('Add', [y.name, i.bias.name]), y.elem, shape);
  }
  return lowerActivation(ctx, y, attrs.activation);
}
