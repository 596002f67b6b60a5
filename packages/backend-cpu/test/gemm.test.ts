import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CpuBackend, createCpuBackend } from '../src/index.js';
import { maxAbsDiff, rand, read, refMatMul, relaxedMaddFuses, tensor } from './helpers.js';

// The kernel paths: relaxed SIMD (the default here) and strict SIMD at 1 and 2 threads, and TypeScript.
let relaxed1: CpuBackend;
let relaxed2: CpuBackend;
let wasm1: CpuBackend;
let wasm2: CpuBackend;
let ts: CpuBackend;
let fuses: boolean;

beforeAll(async () => {
  relaxed1 = await createCpuBackend({ threads: 1 });
  relaxed2 = await createCpuBackend({ threads: 2 });
  wasm1 = await createCpuBackend({ threads: 1, wasm: 'simd' });
  wasm2 = await createCpuBackend({ threads: 2, wasm: 'simd' });
  ts = await createCpuBackend({ wasm: false });
  fuses = await relaxedMaddFuses();
});
afterAll(() => {
  for (const b of [relaxed1, relaxed2, wasm1, wasm2, ts]) b.dispose();
});

function matmul(
  backend: CpuBackend,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
) {
  const out = backend.kernels.BatchMatMul!(
    { a: tensor(backend, a.slice(), aShape), b: tensor(backend, b.slice(), bShape) },
    { transposeA, transposeB },
  );
  return { shape: out.shape, values: read(backend, out) };
}

describe('GEMM', () => {
  it('runs relaxed SIMD by default here (Node 20 via the V8 flag), strict SIMD and TypeScript when asked', () => {
    expect(relaxed1.gemmKind).toBe('wasm-relaxed-simd');
    expect(relaxed2.threads).toBe(2);
    expect(wasm1.gemmKind).toBe('wasm-simd');
    expect(wasm2.threads).toBe(2);
    expect(ts.gemmKind).toBe('typescript');
    console.log(`f32x4.relaxed_madd fuses on this machine: ${fuses}`);
  });

  const dims = [1, 7, 13, 65, 127];
  for (const m of dims)
    for (const [n, k] of [
      [1, 13],
      [7, 65],
      [13, 1],
      [65, 127],
      [127, 7],
    ])
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${m}x${k}x${n} transposeA=${ta} transposeB=${tb} matches float64 on every path`, () => {
          const a = rand(m * k, m * 31 + k);
          const b = rand(k * n, n * 17 + k);
          const ref = refMatMul(a, b, m, n, k, ta, tb);
          const aShape = ta ? [k, m] : [m, k];
          const bShape = tb ? [n, k] : [k, n];
          const [w1, w2, t, r1, r2] = [wasm1, wasm2, ts, relaxed1, relaxed2].map((be) =>
            matmul(be, a, aShape, b, bShape, ta, tb),
          );
          for (const r of [w1, w2, t, r1, r2]) {
            expect(r.shape).toEqual([m, n]);
            expect(maxAbsDiff(r.values, ref)).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
          }
          // strict SIMD: one reduction order everywhere, so 1 thread, 2 threads and TypeScript agree bitwise
          expect(w2.values).toEqual(w1.values);
          expect(t.values).toEqual(w1.values);
          // relaxed SIMD: the same order with (maybe) fused steps: equal across threads, close to TypeScript
          expect(r2.values).toEqual(r1.values);
          expect(maxAbsDiff(r1.values, t.values)).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
        });
      }

  it('batches: [B,M,K]·[B,K,N], [B,M,K]·[K,N] shared, [M,K]·[B,N,K]ᵀ', () => {
    const [bt, m, k, n] = [3, 5, 9, 6];
    const a = rand(bt * m * k, 3);
    const b = rand(bt * k * n, 4);
    const cases: [number[], number[], boolean, number[]][] = [
      [[bt, m, k], [bt, k, n], false, [bt, m, n]],
      [[bt, m, k], [k, n], false, [bt, m, n]],
      [[m, k], [bt, n, k], true, [bt, m, n]],
    ];
    for (const [as, bs, tb, outShape] of cases) {
      const av = a.subarray(
        0,
        as.reduce((x, y) => x * y),
      );
      const bv = b.subarray(
        0,
        bs.reduce((x, y) => x * y),
      );
      const r = matmul(wasm2, av, as, bv, bs, false, tb);
      expect(r.shape).toEqual(outShape);
      for (let t = 0; t < bt; t++) {
        const at = as.length === 3 ? av.subarray(t * m * k, (t + 1) * m * k) : av;
        const bb = bs.length === 3 ? bv.subarray(t * k * n, (t + 1) * k * n) : bv;
        const ref = refMatMul(at, bb, m, n, k, false, tb);
        expect(maxAbsDiff(r.values.subarray(t * m * n, (t + 1) * m * n), ref)).toBeLessThan(1e-5);
      }
    }
  });

  it('model-sized products are bitwise equal at 1 and 2 threads on each path', () => {
    for (const [m, k, n] of [
      [128, 768, 3072],
      [37, 3072, 768],
      [3, 768, 30522],
    ]) {
      const x = rand(m * k, m);
      const w = rand(n * k, n);
      const run = (be: CpuBackend) =>
        read(
          be,
          be.kernels.Linear!(
            { x: tensor(be, x, [m, k]), weight: tensor(be, w.slice(), [n, k]) },
            { activation: 'none' },
          ),
        );
      const one = run(wasm1);
      const two = run(wasm2);
      expect(two).toEqual(one);
      const relaxedOne = run(relaxed1);
      expect(run(relaxed2)).toEqual(relaxedOne);
      // fused steps round once where strict SIMD rounds twice: different bits exactly when the hardware fuses
      if (fuses) expect(relaxedOne).not.toEqual(one);
      else expect(relaxedOne).toEqual(one);
      expect(maxAbsDiff(relaxedOne, one)).toBeLessThan(1e-4);
      // spot-check against float64
      for (const [i, j] of [
        [0, 0],
        [m - 1, n - 1],
        [m >> 1, n - 2],
      ]) {
        let s = 0;
        for (let p = 0; p < k; p++) s += x[i * k + p] * w[j * k + p];
        expect(Math.abs(one[i * n + j] - s)).toBeLessThan(1e-4);
      }
    }
  });

  it('fused Linear+bias+GELU and Attention: bitwise equal at 1 and 2 threads on each path, close to TypeScript', () => {
    const [b, sq, d, heads, hidden] = [3, 50, 96, 4, 200];
    const x = rand(b * sq * d, 21);
    const w = rand(hidden * d, 22).map((v) => v * 0.3);
    const bias = rand(hidden, 23);
    const q = rand(b * sq * d, 24).map((v) => v * 2);
    const kk = rand(b * sq * d, 25).map((v) => v * 2);
    const v = rand(b * sq * d, 26);
    const mask = new Int32Array(b * sq).map((_, i) => (i % sq < sq - 7 * Math.floor(i / sq) ? 1 : 0));
    const run = (be: CpuBackend) => {
      const lin = be.kernels.Linear!(
        {
          x: tensor(be, x, [b, sq, d]),
          weight: tensor(be, w.slice(), [hidden, d]),
          bias: tensor(be, bias.slice(), [hidden]),
        },
        { activation: 'gelu' },
      );
      const att = be.kernels.Attention!(
        {
          q: tensor(be, q, [b, sq, d]),
          k: tensor(be, kk, [b, sq, d]),
          v: tensor(be, v, [b, sq, d]),
          mask: tensor(be, mask, [b, sq]),
        },
        { numHeads: heads, scale: 1 / Math.sqrt(d / heads) },
      );
      return [read(be, lin), read(be, att)];
    };
    const [lin1, att1] = run(wasm1);
    const [lin2, att2] = run(wasm2);
    const [linTs, attTs] = run(ts);
    const [linR1, attR1] = run(relaxed1);
    const [linR2, attR2] = run(relaxed2);
    expect(lin2).toEqual(lin1);
    expect(att2).toEqual(att1);
    expect(linR2).toEqual(linR1);
    expect(attR2).toEqual(attR1);
    expect(maxAbsDiff(linTs, lin1)).toBeLessThan(1e-6);
    expect(maxAbsDiff(attTs, att1)).toBeLessThan(1e-6);
    expect(maxAbsDiff(linR1, linTs)).toBeLessThan(1e-5);
    expect(maxAbsDiff(attR1, attTs)).toBeLessThan(1e-5);
  });
});
