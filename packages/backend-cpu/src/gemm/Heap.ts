/**
 * Where matrix products run: a linear memory with an allocator, a GEMM with the Linear epilogue, and
 * attention, over byte addresses. The WebAssembly heap (SIMD kernels, optional threads) and the TypeScript
 * heap (fallback) implement it, so the kernels are written once.
 */
export interface Heap {
  /** A float32 view of the whole memory (index = byte address / 4); fetch again after any alloc. */
  readonly f32: Float32Array;
  /** An int32 view of the same memory. */
  readonly i32: Int32Array;
  /** True when a view taken now stays valid after the memory grows (shared WebAssembly memory). */
  readonly stableViews: boolean;
  alloc(bytes: number): number;
  release(ptr: number): void;
  /** Copies `values` into a fresh block; returns its byte address. */
  put(values: Float32Array | Int32Array): number;
  /**
   * C[i * ldc + j] = act(dot(A[i * lda ..], B[j * ldb ..]) + bias[j]) for i < m, j < n, K = k (byte
   * addresses, element strides; bias 0 = none; act EPILOGUE.*), the dot in the fixed order of gemm.wat.
   */
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    lda: number,
    ldb: number,
    ldc: number,
    bias?: number,
    act?: number,
  ): void;
  /**
   * ctx = softmax(q kᵀ + maskFill) v per (batch, head), q already scaled; q, k, v, ctx [b, s, d] float32,
   * mask [b, s] int32, at byte addresses.
   */
  attention(
    q: number,
    k: number,
    v: number,
    mask: number,
    ctx: number,
    b: number,
    s: number,
    d: number,
    heads: number,
  ): void;
  /** Releases threads and memory; settles when worker threads have exited. */
  dispose(): Promise<void> | void;
}

/** Activation codes of the GEMM epilogue (as in gemm.wat's bias_act). */
export const EPILOGUE = { none: 0, relu: 1, gelu: 2 } as const;
