import { engine } from '../engine/engine.js';
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/Tensor.js';
import { matMul, mul, reshape, softmax, transpose } from './ops.js';

export interface AttentionResult {
  /** [B, S, H·hd] */
  context: Tensor;
  /** [B, H, S, S] softmax weights, only when asked for (output_attentions). */
  weights?: Tensor;
}

/**
 * Multi-head scaled dot-product attention over q, k, v [B, S, H·hd] with key mask [B, S].
 * The fused Attention kernel is used unless the attention weights are wanted.
 */
export function attention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor,
  numHeads: number,
  outputWeights = false,
): AttentionResult {
  const [b, s, d] = q.shape;
  if (d % numHeads !== 0)
    throw new ShapeError(`attention: width ${d} is not divisible by ${numHeads} heads.`);
  const hd = d / numHeads;
  const scale = 1 / Math.sqrt(hd);
  if (!outputWeights && engine.hasKernel(q.backend, 'Attention')) {
    return { context: engine.runKernel('Attention', { q, k, v, mask }, { numHeads, scale }) };
  }
  return engine.tidy(() => {
    const heads = (t: Tensor) =>
      reshape(transpose(reshape(t, [b, s, numHeads, hd]), [0, 2, 1, 3]), [b * numHeads, s, hd]);
    const scaleT = engine.makeTensor(q.backend, new Float32Array([scale]), []);
    // HF scales q before the product; we do the same so rounding matches.
    const qh = mul(heads(q), scaleT);
    const scores = reshape(matMul(qh, heads(k), false, true), [b, numHeads, s, s]);
    const probs = softmax(scores, mask);
    const ctx = matMul(reshape(probs, [b * numHeads, s, s]), heads(v));
    const context = reshape(transpose(reshape(ctx, [b, numHeads, s, hd]), [0, 2, 1, 3]), [b, s, d]);
    return outputWeights ? { context, weights: probs } : { context };
  });
}
