import type { KernelName } from '../backend/kernels.js';
import type { DType } from '../tensor/dtype.js';

/**
 * How an input is filled: 'normal' ~ uniform(−2, 2); 'wide' adds ±8 outliers (GELU tails, softmax
 * stability); { ids: V } draws integers in [0, V); an array gives the values.
 */
export type Fill = 'normal' | 'wide' | { ids: number } | readonly number[];

export interface InputSpec {
  shape: readonly number[];
  dtype?: DType;
  fill?: Fill;
}

export interface KernelCase {
  kernel: KernelName;
  label: string;
  inputs: Readonly<Record<string, InputSpec>>;
  attrs: Readonly<Record<string, unknown>>;
}

const f = (shape: readonly number[], fill: Fill = 'normal'): InputSpec => ({ shape, fill });
const ints = (shape: readonly number[], fill: Fill): InputSpec => ({ shape, dtype: 'int32', fill });
const none = {};

// Sizes are chosen to straddle tile widths: 1, odd, primes, and 4/8/16/64 ± 1.
const matmul = (
  label: string,
  a: number[],
  b: number[],
  transposeA = false,
  transposeB = false,
): KernelCase => ({
  kernel: 'BatchMatMul',
  label,
  inputs: { a: f(a), b: f(b) },
  attrs: { transposeA, transposeB },
});

const unaryCases = (kernel: KernelName): KernelCase[] => [
  { kernel, label: 'scalar-like [1]', inputs: { x: f([1]) }, attrs: none },
  { kernel, label: '[7]', inputs: { x: f([7]) }, attrs: none },
  { kernel, label: '[3, 37] with ±8 tails', inputs: { x: f([3, 37], 'wide') }, attrs: none },
  { kernel, label: '[2, 5, 65]', inputs: { x: f([2, 5, 65]) }, attrs: none },
  { kernel, label: 'zeros and signs', inputs: { x: f([6], [0, -0, 1e-7, -1e-7, 20, -20]) }, attrs: none },
];

const binaryCases = (kernel: 'Add' | 'Mul'): KernelCase[] => [
  { kernel, label: '[1] ∘ [1]', inputs: { a: f([1]), b: f([1]) }, attrs: none },
  { kernel, label: 'same shape [4, 7]', inputs: { a: f([4, 7]), b: f([4, 7]) }, attrs: none },
  { kernel, label: 'bias [2, 3, 5] ∘ [5]', inputs: { a: f([2, 3, 5]), b: f([5]) }, attrs: none },
  { kernel, label: 'scalar [3, 1, 9] ∘ []', inputs: { a: f([3, 1, 9]), b: f([]) }, attrs: none },
  {
    kernel,
    label: 'suffix [2, 17, 33] ∘ [17, 33]',
    inputs: { a: f([2, 17, 33]), b: f([17, 33]) },
    attrs: none,
  },
];

/** The required kernels' cases. */
export const REQUIRED_CASES: readonly KernelCase[] = [
  { kernel: 'Gather', label: 'V=1 D=1', inputs: { x: f([1, 1]), indices: ints([1], [0]) }, attrs: none },
  {
    kernel: 'Gather',
    label: 'repeats, first and last row',
    inputs: { x: f([7, 5]), indices: ints([5], [6, 0, 3, 3, 6]) },
    attrs: none,
  },
  {
    kernel: 'Gather',
    label: 'V=257 D=33, 19 ids',
    inputs: { x: f([257, 33]), indices: ints([19], { ids: 257 }) },
    attrs: none,
  },

  matmul('[1, 1] · [1, 1]', [1, 1], [1, 1]),
  matmul('[3, 5] · [5, 7]', [3, 5], [5, 7]),
  matmul('[17, 33] · [33, 9]', [17, 33], [33, 9]),
  matmul('transposeA [33, 17]ᵀ · [33, 9]', [33, 17], [33, 9], true),
  matmul('transposeB [17, 33] · [9, 33]ᵀ', [17, 33], [9, 33], false, true),
  matmul('both transposed', [33, 17], [9, 33], true, true),
  matmul('odd tiles [67, 65] · [65, 63]', [67, 65], [65, 63]),
  matmul('batch [3, 5, 7] · [3, 7, 4]', [3, 5, 7], [3, 7, 4]),
  matmul('batch broadcast b: [3, 5, 7] · [7, 4]', [3, 5, 7], [7, 4]),
  matmul('batch broadcast a: [5, 7] · [3, 7, 4]', [5, 7], [3, 7, 4]),
  matmul('attention scores [8, 9, 8] · [8, 9, 8]ᵀ', [8, 9, 8], [8, 9, 8], false, true),
  matmul('batch transposeA [2, 16, 9] · [2, 16, 17]', [2, 16, 9], [2, 16, 17], true),
  matmul('vector-like [1, 129] · [129, 1]', [1, 129], [129, 1]),

  ...binaryCases('Add'),
  ...binaryCases('Mul'),

  {
    kernel: 'LayerNorm',
    label: '[1, 1] (zero variance)',
    inputs: { x: f([1, 1]), gamma: f([1]), beta: f([1]) },
    attrs: { epsilon: 1e-12 },
  },
  {
    kernel: 'LayerNorm',
    label: '[3, 5]',
    inputs: { x: f([3, 5]), gamma: f([5]), beta: f([5]) },
    attrs: { epsilon: 1e-12 },
  },
  {
    kernel: 'LayerNorm',
    label: '[2, 3, 37] eps 1e-5',
    inputs: { x: f([2, 3, 37], 'wide'), gamma: f([37]), beta: f([37]) },
    attrs: { epsilon: 1e-5 },
  },
  {
    kernel: 'LayerNorm',
    label: 'constant rows',
    inputs: { x: f([2, 4], [3, 3, 3, 3, -1, -1, -1, -1]), gamma: f([4]), beta: f([4]) },
    attrs: { epsilon: 1e-12 },
  },
  {
    kernel: 'LayerNorm',
    label: '[2, 768] offset mean',
    inputs: { x: f([2, 768], 'wide'), gamma: f([768]), beta: f([768]) },
    attrs: { epsilon: 1e-12 },
  },

  ...unaryCases('Gelu'),
  ...unaryCases('Relu'),
  ...unaryCases('Tanh'),

  { kernel: 'Softmax', label: '[1, 1]', inputs: { x: f([1, 1]) }, attrs: none },
  { kernel: 'Softmax', label: '[3, 7] with ±8 tails', inputs: { x: f([3, 7], 'wide') }, attrs: none },
  {
    kernel: 'Softmax',
    label: 'large logits (stability)',
    inputs: { x: f([1, 4], [80, 100, -100, 99]) },
    attrs: none,
  },
  {
    kernel: 'Softmax',
    label: 'masked [2, 3, 5] with a fully masked row',
    inputs: { x: f([2, 3, 5]), mask: ints([2, 5], [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]) },
    attrs: none,
  },
  {
    kernel: 'Softmax',
    label: 'attention layout [2, 4, 3, 3] mask [2, 3]',
    inputs: { x: f([2, 4, 3, 3], 'wide'), mask: ints([2, 3], [1, 1, 0, 1, 0, 1]) },
    attrs: none,
  },
  {
    kernel: 'Softmax',
    label: 'masked row of 65',
    inputs: { x: f([1, 2, 65]), mask: ints([1, 65], { ids: 2 }) },
    attrs: none,
  },

  { kernel: 'Transpose', label: '[1, 1]', inputs: { x: f([1, 1]) }, attrs: { perm: [1, 0] } },
  { kernel: 'Transpose', label: '[3, 5] → [5, 3]', inputs: { x: f([3, 5]) }, attrs: { perm: [1, 0] } },
  {
    kernel: 'Transpose',
    label: '[2, 3, 4] perm [2, 0, 1]',
    inputs: { x: f([2, 3, 4]) },
    attrs: { perm: [2, 0, 1] },
  },
  {
    kernel: 'Transpose',
    label: 'heads [2, 5, 3, 7] perm [0, 2, 1, 3]',
    inputs: { x: f([2, 5, 3, 7]) },
    attrs: { perm: [0, 2, 1, 3] },
  },
  { kernel: 'Transpose', label: 'identity perm', inputs: { x: f([4, 3]) }, attrs: { perm: [0, 1] } },
  {
    kernel: 'Transpose',
    label: 'int32 [3, 2]',
    inputs: { x: ints([3, 2], { ids: 1000 }) },
    attrs: { perm: [1, 0] },
  },

  {
    kernel: 'Slice',
    label: '[5, 7] middle',
    inputs: { x: f([5, 7]) },
    attrs: { begin: [1, 2], size: [3, 4] },
  },
  {
    kernel: 'Slice',
    label: 'CLS row [2, 3, 4] → [2, 1, 4]',
    inputs: { x: f([2, 3, 4]) },
    attrs: { begin: [0, 0, 0], size: [2, 1, 4] },
  },
  {
    kernel: 'Slice',
    label: 'last column [3, 4, 2] → [3, 4, 1]',
    inputs: { x: f([3, 4, 2]) },
    attrs: { begin: [0, 0, 1], size: [3, 4, 1] },
  },
  {
    kernel: 'Slice',
    label: 'whole tensor',
    inputs: { x: f([2, 9]) },
    attrs: { begin: [0, 0], size: [2, 9] },
  },
  {
    kernel: 'Slice',
    label: 'single element',
    inputs: { x: f([3, 5]) },
    attrs: { begin: [2, 4], size: [1, 1] },
  },
  {
    kernel: 'Slice',
    label: 'int32',
    inputs: { x: ints([4, 3], { ids: 1000 }) },
    attrs: { begin: [1, 1], size: [2, 2] },
  },

  {
    kernel: 'Cast',
    label: 'float32 → int32 truncates toward zero',
    inputs: { x: f([8], [1.9, -1.9, 0.5, -0.5, 0, 7, -7, 123456.7]) },
    attrs: { dtype: 'int32' },
  },
  {
    kernel: 'Cast',
    label: 'int32 → float32',
    inputs: { x: ints([5], [0, 1, -1, 30521, -65536]) },
    attrs: { dtype: 'float32' },
  },
  { kernel: 'Cast', label: 'float32 → float32', inputs: { x: f([3, 3]) }, attrs: { dtype: 'float32' } },
];

/** The optional fused kernels' cases; expected values come from core's composite on the reference backend. */
export const FUSED_CASES: readonly KernelCase[] = [
  ...(['none', 'gelu', 'relu', 'tanh'] as const).map(
    (activation): KernelCase => ({
      kernel: 'Linear',
      label: `[3, 5] · [7, 5]ᵀ + b, ${activation}`,
      inputs: { x: f([3, 5], 'wide'), weight: f([7, 5]), bias: f([7]) },
      attrs: { activation },
    }),
  ),
  {
    kernel: 'Linear',
    label: '[1, 1] · [1, 1]ᵀ',
    inputs: { x: f([1, 1]), weight: f([1, 1]), bias: f([1]) },
    attrs: { activation: 'none' },
  },
  {
    kernel: 'Linear',
    label: 'rank 3 [2, 3, 33] · [17, 33]ᵀ, no bias',
    inputs: { x: f([2, 3, 33]), weight: f([17, 33]) },
    attrs: { activation: 'none' },
  },
  {
    kernel: 'Linear',
    label: 'odd tiles [65, 37] · [63, 37]ᵀ + b, gelu',
    inputs: { x: f([65, 37]), weight: f([63, 37]), bias: f([63]) },
    attrs: { activation: 'gelu' },
  },

  {
    kernel: 'AddLayerNorm',
    label: '[3, 37]',
    inputs: { x: f([3, 37]), residual: f([3, 37]), gamma: f([37]), beta: f([37]) },
    attrs: { epsilon: 1e-12 },
  },
  {
    kernel: 'AddLayerNorm',
    label: '[2, 5, 32]',
    inputs: { x: f([2, 5, 32], 'wide'), residual: f([2, 5, 32]), gamma: f([32]), beta: f([32]) },
    attrs: { epsilon: 1e-12 },
  },
  {
    kernel: 'AddLayerNorm',
    label: '[1, 1]',
    inputs: { x: f([1, 1]), residual: f([1, 1]), gamma: f([1]), beta: f([1]) },
    attrs: { epsilon: 1e-12 },
  },

  {
    kernel: 'Attention',
    label: 'B=1 S=1 H=1',
    inputs: { q: f([1, 1, 4]), k: f([1, 1, 4]), v: f([1, 1, 4]), mask: ints([1, 1], [1]) },
    attrs: { numHeads: 1, scale: 0.5 },
  },
  {
    kernel: 'Attention',
    label: 'B=2 S=5 H=4 hd=8, padded row',
    inputs: {
      q: f([2, 5, 32], 'wide'),
      k: f([2, 5, 32]),
      v: f([2, 5, 32]),
      mask: ints([2, 5], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
    },
    attrs: { numHeads: 4, scale: 1 / Math.sqrt(8) },
  },
  {
    kernel: 'Attention',
    label: 'B=3 S=7 H=2 hd=3, a fully masked row',
    inputs: {
      q: f([3, 7, 6]),
      k: f([3, 7, 6]),
      v: f([3, 7, 6]),
      mask: ints([3, 7], [1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]),
    },
    attrs: { numHeads: 2, scale: 1 / Math.sqrt(3) },
  },
  {
    kernel: 'Attention',
    label: 'B=1 S=65 H=3 hd=5',
    inputs: { q: f([1, 65, 15]), k: f([1, 65, 15]), v: f([1, 65, 15]), mask: ints([1, 65], { ids: 2 }) },
    attrs: { numHeads: 3, scale: 1 / Math.sqrt(5) },
  },
];
