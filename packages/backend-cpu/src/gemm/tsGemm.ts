/**
 * The pure-TypeScript GEMM, used where WebAssembly SIMD is missing. Same operation and the same float32
 * reduction order as src/wasm/gemm.wat (four interleaved partial sums, (s0 + s1) + (s2 + s3), then the
 * K mod 4 tail), so it gives the same bits as the WASM kernel. Register-blocked: each A value loaded feeds
 * two output columns (8 float32 accumulators).
 *
 * C[ci + i * ldc + j] = dot(A[ai + i * lda ..], B[bi + j * ldb ..]) for i < m, j < n.
 */
export function gemmNT(
  a: Float32Array,
  ai: number,
  lda: number,
  b: Float32Array,
  bi: number,
  ldb: number,
  c: Float32Array,
  ci: number,
  ldc: number,
  m: number,
  n: number,
  k: number,
): void {
  const f = Math.fround;
  const k4 = k & ~3;
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const p0 = bi + j * ldb;
    const p1 = p0 + ldb;
    for (let i = 0; i < m; i++) {
      const pa = ai + i * lda;
      let x0 = 0;
      let x1 = 0;
      let x2 = 0;
      let x3 = 0;
      let y0 = 0;
      let y1 = 0;
      let y2 = 0;
      let y3 = 0;
      for (let t = 0; t < k4; t += 4) {
        const a0 = a[pa + t];
        const a1 = a[pa + t + 1];
        const a2 = a[pa + t + 2];
        const a3 = a[pa + t + 3];
        x0 = f(x0 + f(a0 * b[p0 + t]));
        x1 = f(x1 + f(a1 * b[p0 + t + 1]));
        x2 = f(x2 + f(a2 * b[p0 + t + 2]));
        x3 = f(x3 + f(a3 * b[p0 + t + 3]));
        y0 = f(y0 + f(a0 * b[p1 + t]));
        y1 = f(y1 + f(a1 * b[p1 + t + 1]));
        y2 = f(y2 + f(a2 * b[p1 + t + 2]));
        y3 = f(y3 + f(a3 * b[p1 + t + 3]));
      }
      let x = f(f(x0 + x1) + f(x2 + x3));
      let y = f(f(y0 + y1) + f(y2 + y3));
      for (let t = k4; t < k; t++) {
        x = f(x + f(a[pa + t] * b[p0 + t]));
        y = f(y + f(a[pa + t] * b[p1 + t]));
      }
      c[ci + i * ldc + j] = x;
      c[ci + i * ldc + j + 1] = y;
    }
  }
  if (j < n) {
    const pb = bi + j * ldb;
    for (let i = 0; i < m; i++) c[ci + i * ldc + j] = dot(a, ai + i * lda, b, pb, k, k4);
  }
}

function dot(a: Float32Array, pa: number, b: Float32Array, pb: number, k: number, k4: number): number {
  const f = Math.fround;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let t = 0; t < k4; t += 4) {
    s0 = f(s0 + f(a[pa + t] * b[pb + t]));
    s1 = f(s1 + f(a[pa + t + 1] * b[pb + t + 1]));
    s2 = f(s2 + f(a[pa + t + 2] * b[pb + t + 2]));
    s3 = f(s3 + f(a[pa + t + 3] * b[pb + t + 3]));
  }
  let s = f(f(s0 + s1) + f(s2 + s3));
  for (let t = k4; t < k; t++) s = f(s + f(a[pa + t] * b[pb + t]));
  return s;
}
