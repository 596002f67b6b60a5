import type { DType } from '../tensor/dtype.js';
import type { TensorInfo } from './KernelBackend.js';

/**
 * The kernel set. Every entry is documented with its inputs, attributes and output; a backend implements
 * each one as a `KernelFunc` (see KernelBackend.ts). Shapes are row-major, last axis fastest.
 *
 * Required kernels are what a minimal backend needs to run DistilBERT. Fused kernels are optional: core
 * composes them from required kernels when a backend does not have them.
 */
export interface KernelSpecs {
  /** `x` [V, D] float32, `indices` [N] int32 → [N, D]: row `indices[i]` of `x`. Ids outside [0, V) are an error. */
  Gather: { inputs: { x: TensorInfo; indices: TensorInfo }; attrs: Record<string, never> };
  /**
   * `a` [M, K] or [B, M, K], `b` [K, N] or [B, K, N] (a rank-2 operand is shared by every batch) → [M, N] or [B, M, N].
   * `transposeA`/`transposeB` read the operand as its transpose of the last two axes ([.., K, M] / [.., N, K]).
   */
  BatchMatMul: {
    inputs: { a: TensorInfo; b: TensorInfo };
    attrs: { transposeA: boolean; transposeB: boolean };
  };
  /** `a` [...], `b` whose shape is a suffix of a's ([] for a scalar, [D] for a bias) → a's shape: a + b. */
  Add: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: Record<string, never> };
  /** As Add, elementwise a × b. */
  Mul: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: Record<string, never> };
  /** `x` [..., D], `gamma`/`beta` [D] → (x − mean) / sqrt(var + epsilon) × gamma + beta over the last axis (biased variance). */
  LayerNorm: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; attrs: { epsilon: number } };
  /** Exact GELU: 0.5 x (1 + erf(x / √2)). Not the tanh approximation. */
  Gelu: { inputs: { x: TensorInfo }; attrs: Record<string, never> };
  Relu: { inputs: { x: TensorInfo }; attrs: Record<string, never> };
  Tanh: { inputs: { x: TensorInfo }; attrs: Record<string, never> };
  /**
   * Softmax over the last axis. Optional `mask` [B, Sk] (int32, 0 = masked) for `x` [B, ..., Sk]: masked positions
   * take the most negative finite float32 (−3.4028234663852886e38) before the softmax, as PyTorch's finfo.min fill,
   * so a fully masked row comes out uniform, never NaN.
   */
  Softmax: { inputs: { x: TensorInfo; mask?: TensorInfo }; attrs: Record<string, never> };
  /** Permutes axes: output axis i is input axis perm[i]. */
  Transpose: { inputs: { x: TensorInfo }; attrs: { perm: readonly number[] } };
  /** Contiguous copy of x[begin[i] : begin[i] + size[i]] on every axis. */
  Slice: { inputs: { x: TensorInfo }; attrs: { begin: readonly number[]; size: readonly number[] } };
  /** Converts to `dtype` (float → int truncates toward zero). */
  Cast: { inputs: { x: TensorInfo }; attrs: { dtype: DType } };

  /** Optional fused: x [..., in] · weightᵀ ([out, in], PyTorch's Linear layout) + bias [out], then `activation`. */
  Linear: {
    inputs: { x: TensorInfo; weight: TensorInfo; bias?: TensorInfo };
    attrs: { activation: Activation };
  };
  /** Optional fused: LayerNorm(x + residual). */
  AddLayerNorm: {
    inputs: { x: TensorInfo; residual: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    attrs: { epsilon: number };
  };
  /**
   * Optional fused multi-head attention: q, k, v [B, S, H·hd], mask [B, S] int32 → context [B, S, H·hd],
   * softmax(q kᵀ · scale + maskFill) v per head, with the Softmax kernel's mask rule.
   */
  Attention: {
    inputs: { q: TensorInfo; k: TensorInfo; v: TensorInfo; mask: TensorInfo };
    attrs: { numHeads: number; scale: number };
  };
}

export type Activation = 'none' | 'gelu' | 'relu' | 'tanh';

export type KernelName = keyof KernelSpecs;

export const REQUIRED_KERNELS = [
  'Gather',
  'BatchMatMul',
  'Add',
  'Mul',
  'LayerNorm',
  'Gelu',
  'Relu',
  'Tanh',
  'Softmax',
  'Transpose',
  'Slice',
  'Cast',
] as const satisfies readonly KernelName[];

export const FUSED_KERNELS = ['Linear', 'AddLayerNorm', 'Attention'] as const satisfies readonly KernelName[];

/** The most negative finite float32, the value masked attention logits take (torch.finfo(float32).min). */
export const MASK_FILL = -3.4028234663852886e38;
