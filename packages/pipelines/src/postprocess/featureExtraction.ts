import { badInput } from '../errors.js';

export type Pooling = 'none' | 'mean' | 'cls';

/** A plain float32 array with its dimensions, like transformers.js's Tensor; `tolist()` gives nested arrays. */
export class FeatureTensor {
  constructor(
    readonly data: Float32Array,
    readonly dims: readonly number[],
  ) {}

  get type(): 'float32' {
    return 'float32';
  }

  /** Nested number arrays, as Python's feature-extraction pipeline returns. */
  tolist(): unknown[] {
    const build = (offset: number, axis: number): unknown[] => {
      const n = this.dims[axis];
      if (axis === this.dims.length - 1) return Array.from(this.data.subarray(offset, offset + n));
      const stride = this.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: n }, (_, i) => build(offset + i * stride, axis + 1));
    };
    return build(0, 0);
  }
}

/**
 * One sequence's token embeddings [seq, dim] reduced to [dim] ('mean' over attended tokens, special tokens
 * included, as sentence-transformers does; 'cls' the first token) or kept ('none'), then optionally
 * L2-normalised along the last axis. Returns a [1, seq, dim] or [1, dim] tensor.
 */
export function poolEmbeddings(
  hidden: Float32Array,
  seq: number,
  dim: number,
  attentionMask: ArrayLike<number>,
  pooling: Pooling = 'none',
  normalize = false,
): FeatureTensor {
  let out: Float32Array;
  let dims: number[];
  if (pooling === 'none') {
    out = hidden.slice(0, seq * dim);
    dims = [1, seq, dim];
  } else if (pooling === 'cls') {
    out = hidden.slice(0, dim);
    dims = [1, dim];
  } else if (pooling === 'mean') {
    const sum = new Float64Array(dim);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (!attentionMask[s]) continue;
      count++;
      for (let d = 0; d < dim; d++) sum[d] += hidden[s * dim + d];
    }
    out = Float32Array.from(sum, (x) => x / Math.max(count, 1));
    dims = [1, dim];
  } else {
    throw badInput(`Unknown pooling '${pooling as string}': use none, mean or cls.`);
  }
  if (normalize) {
    for (let row = 0; row < out.length / dim; row++) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += out[row * dim + d] ** 2;
      norm = Math.max(Math.sqrt(norm), 1e-12); // torch's F.normalize eps
      for (let d = 0; d < dim; d++) out[row * dim + d] /= norm;
    }
  }
  return new FeatureTensor(out, dims);
}
