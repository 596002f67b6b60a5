import { softmaxRow } from '../kernels/Softmax.js';
import { gelu } from '../math.js';
import { Allocator } from './allocator.js';
import { EPILOGUE, type Heap } from './Heap.js';
import { gemmNT } from './tsGemm.js';

/** The fallback heap: a growable ArrayBuffer, the TypeScript GEMM and attention. */
export class TsHeap implements Heap {
  readonly stableViews = false;
  private buf = new Float32Array(1 << 16);
  private ints = new Int32Array(this.buf.buffer);
  private readonly allocator = new Allocator(64, (bytes) => this.ensure(bytes));

  get f32(): Float32Array {
    return this.buf;
  }

  get i32(): Int32Array {
    return this.ints;
  }

  private ensure(bytes: number): void {
    if (bytes <= this.buf.byteLength) return;
    const grown = new Float32Array(Math.max(bytes / 4, this.buf.length * 1.25) | 0);
    grown.set(this.buf);
    this.buf = grown;
    this.ints = new Int32Array(grown.buffer);
  }

  alloc(bytes: number): number {
    return this.allocator.alloc(bytes);
  }

  release(ptr: number): void {
    this.allocator.release(ptr);
  }

  put(values: Float32Array | Int32Array): number {
    const ptr = this.alloc(values.length * 4);
    (values instanceof Int32Array ? this.ints : this.buf).set(values, ptr >> 2);
    return ptr;
  }

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
    bias = 0,
    act = 0,
  ) {
    const f = this.buf;
    gemmNT(f, a >> 2, lda, f, b >> 2, ldb, f, c >> 2, ldc, m, n, k);
    if (!bias && !act) return;
    for (let i = 0; i < m; i++) {
      const row = (c >> 2) + i * ldc;
      for (let j = 0; j < n; j++) {
        let x = f[row + j];
        if (bias) x = Math.fround(x + f[(bias >> 2) + j]);
        f[row + j] = act === EPILOGUE.gelu ? gelu(x) : act === EPILOGUE.relu ? Math.max(x, 0) : x;
      }
    }
  }

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
  ) {
    const hd = d / heads;
    const scores = this.alloc(s * s * 4);
    const vt = this.alloc(hd * s * 4);
    const f = this.buf;
    for (let bi = 0; bi < b; bi++) {
      for (let h = 0; h < heads; h++) {
        const col = (bi * s * d + h * hd) * 4;
        this.gemm(q + col, k + col, scores, s, s, hd, d, d, s);
        for (let r = 0; r < s; r++) softmaxRow(f, (scores >> 2) + r * s, s, this.ints, (mask >> 2) + bi * s);
        // v's head columns as [hd, S] so the context product has K = S contiguous too
        for (let j = 0; j < s; j++) {
          const src = ((v + col) >> 2) + j * d;
          for (let c = 0; c < hd; c++) f[(vt >> 2) + c * s + j] = f[src + c];
        }
        this.gemm(scores, vt, ctx + col, s, hd, s, s, s, d);
      }
    }
    this.release(scores);
    this.release(vt);
  }

  dispose(): void {
    this.buf = new Float32Array(0);
    this.ints = new Int32Array(0);
  }
}
