import type { Activation } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { HEADER, WGSL_ACTIVATIONS } from './common.js';
import { chooseTile, dotShader } from './gemmDot.js';

/** C[b] = act(op(A[b]) · op(B[b]) + bias): the one matrix-product shader behind BatchMatMul and Linear. */
export interface Gemm {
  a: GPUBuffer;
  b: GPUBuffer;
  bias?: GPUBuffer;
  out: GPUBuffer;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Elements between consecutive batches of A/B (0: shared by every batch). */
  strideA: number;
  strideB: number;
  transA: boolean;
  transB: boolean;
  activation: Activation;
}

// Linear's layout (both operands K-fastest) goes to gemmDot.ts's register-tiled shader. Every other layout
// uses this one: 64×64 output tile per workgroup of 16×16 threads, each thread a 4×4 block, K in steps of 16
// through workgroup memory, stored k-major as vec4s of 4 rows/columns; an operand whose tile dimension is
// fastest is filled by vec4 loads, a K-fastest one by 4 coalesced scalar loads.
const TILE = 64;

/** Fills the k-major tile `name`s (16 k × 64 rows) from an operand with the tile dimension fastest or K fastest. */
function loadKMajor(name: 'A' | 'B', kFastest: boolean, vec: boolean, dim: string, start: string): string {
  const off = `off${name}`;
  if (kFastest) {
    // element (r, k) at off + r*K + k; consecutive threads take consecutive k (coalesced).
    return `{
    let kk = tid % 16u; let r = (tid / 16u) * 4u; let gk = k0 + kk; let gr = ${start} + r;
    var v = vec4<f32>(0.0);
    if (gk < K) {
      if (gr < ${dim}) { v.x = ${name}[${off} + gr * K + gk]; }
      if (gr + 1u < ${dim}) { v.y = ${name}[${off} + (gr + 1u) * K + gk]; }
      if (gr + 2u < ${dim}) { v.z = ${name}[${off} + (gr + 2u) * K + gk]; }
      if (gr + 3u < ${dim}) { v.w = ${name}[${off} + (gr + 3u) * K + gk]; }
    }
    ${name}s[kk * 16u + r / 4u] = vec4<T>(v);
  }`;
  }
  // element (r, k) at off + k*dim + r; each thread loads 4 consecutive r of one k.
  const read = vec
    ? `if (gk < K && gr < ${dim}) { v = ${name}[(${off} + gk * ${dim} + gr) / 4u]; }`
    : `if (gk < K) { for (var c = 0u; c < 4u; c++) { if (gr + c < ${dim}) { v[c] = ${name}[${off} + gk * ${dim} + gr + c]; } } }`;
  return `{
    let kk = tid / 16u; let rq = (tid % 16u) * 4u; let gk = k0 + kk; let gr = ${start} + rq;
    var v = vec4<f32>(0.0);
    ${read}
    ${name}s[kk * 16u + rq / 4u] = vec4<T>(v);
  }`;
}

function shader(g: Gemm, vecA: boolean, vecB: boolean, f16: boolean): string {
  const bias = g.bias !== undefined;
  const out = bias ? 4 : 3;
  const body = `${loadKMajor('A', !g.transA, vecA, 'M', 'row0')}
    ${loadKMajor('B', g.transB, vecB, 'N', 'col0')}
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      let a = As[k * 16u + ly];
      let b = Bs[k * 16u + lx];
      acc[0] += vec4<f32>(a.x * b);
      acc[1] += vec4<f32>(a.y * b);
      acc[2] += vec4<f32>(a.z * b);
      acc[3] += vec4<f32>(a.w * b);
    }
    workgroupBarrier();`;
  return `${f16 ? 'enable f16;' : ''}${HEADER}${WGSL_ACTIVATIONS}
alias T = ${f16 ? 'f16' : 'f32'};
@group(0) @binding(1) var<storage, read> A: array<${vecA ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(2) var<storage, read> B: array<${vecB ? 'vec4<f32>' : 'f32'}>;
${bias ? '@group(0) @binding(3) var<storage, read> Bias: array<f32>;' : ''}
@group(0) @binding(${out}) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<vec4<T>, 256>;
var<workgroup> Bs: array<vec4<T>, 256>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = P(0); let N = P(1); let K = P(2);
  let offA = wid.z * P(3); let offB = wid.z * P(4); let offC = wid.z * M * N;
  let row0 = wid.y * ${TILE}u; let col0 = wid.x * ${TILE}u;
  let lx = lid.x; let ly = lid.y; let tid = ly * 16u + lx;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    ${body}
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + ly * 4u + i;
    if (r >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lx * 4u + j;
      if (c < N) {
        C[offC + r * N + c] = ${g.activation}_(acc[i][j]${bias ? ' + Bias[c]' : ''});
      }
    }
  }
}`;
}

/**
 * Few rows (the MLM head on a handful of [MASK] positions, batch-1 classification heads): a tile would be
 * mostly empty, so each thread computes one output with a plain dot product, 4 values per load when both
 * operands have K fastest (Linear's x · Wᵀ).
 */
function skinnyShader(g: Gemm, vec: boolean): string {
  const bias = g.bias !== undefined;
  const t = vec ? 'vec4<f32>' : 'f32';
  const a = g.transA ? 'A[offA + k * M + r]' : 'A[offA + r * K + k]';
  const b = g.transB ? 'B[offB + c * K + k]' : 'B[offB + k * N + c]';
  const body = vec
    ? `let K4 = K / 4u;
  for (var k = 0u; k < K4; k++) { s += dot(A[offA / 4u + r * K4 + k], B[offB / 4u + c * K4 + k]); }`
    : `for (var k = 0u; k < K; k++) { s += ${a} * ${b}; }`;
  return `${HEADER}${WGSL_ACTIVATIONS}
@group(0) @binding(1) var<storage, read> A: array<${t}>;
@group(0) @binding(2) var<storage, read> B: array<${t}>;
${bias ? '@group(0) @binding(3) var<storage, read> Bias: array<f32>;' : ''}
@group(0) @binding(${bias ? 4 : 3}) var<storage, read_write> C: array<f32>;
@compute @workgroup_size(${SKINNY_THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = P(0); let N = P(1); let K = P(2);
  let c = wid.x * ${SKINNY_THREADS}u + li; let r = wid.y;
  if (c >= N) { return; }
  let offA = wid.z * P(3); let offB = wid.z * P(4);
  var s = 0.0;
  ${body}
  C[wid.z * M * N + r * N + c] = ${g.activation}_(s${bias ? ' + Bias[c]' : ''});
}`;
}

const SKINNY_ROWS = 16;
const SKINNY_THREADS = 128;

export function gemm(backend: GpuBackend, g: Gemm): void {
  if (g.batch === 0 || g.m === 0 || g.n === 0) return;
  if (g.m < SKINNY_ROWS) {
    const vec = !g.transA && g.transB && g.k % 4 === 0;
    backend.dispatch({
      key: `gemv_${+g.transA}${+g.transB}_${+vec}_${g.bias ? 'b' : ''}${g.activation}`,
      code: () => skinnyShader(g, vec),
      buffers: g.bias ? [g.a, g.b, g.bias, g.out] : [g.a, g.b, g.out],
      uniforms: [g.m, g.n, g.k, g.strideA, g.strideB],
      workgroups: 0,
      grid: [Math.ceil(g.n / SKINNY_THREADS), g.m, g.batch],
    });
    return;
  }
  const f16 = backend.f16;
  if (!g.transA && g.transB && g.k % 4 === 0) {
    const t = chooseTile(g.m, g.n, g.batch, backend.device.limits.maxComputeWorkgroupStorageSize);
    backend.dispatch({
      key: `gemm_dot_${t.rm}x${t.rn}_${g.bias ? 'b' : ''}${g.activation}_${f16 ? 'h' : 'f'}`,
      code: () => dotShader(t, g.activation, g.bias !== undefined, f16),
      buffers: g.bias ? [g.a, g.b, g.bias, g.out] : [g.a, g.b, g.out],
      uniforms: [g.m, g.n, g.k, g.strideA, g.strideB],
      workgroups: 0,
      grid: [Math.ceil(g.n / (16 * t.rn)), Math.ceil(g.m / (16 * t.rm)), g.batch],
    });
    return;
  }
  // vec4 loads where the operand's fastest dimension is a multiple of 4 (a vec4 is then all in or all out).
  const vecA = g.transA && g.m % 4 === 0;
  const vecB = !g.transB && g.n % 4 === 0;
  const key = `gemm_kmajor_${+g.transA}${+g.transB}_${+vecA}${+vecB}_${g.bias ? 'b' : ''}${g.activation}_${f16 ? 'h' : 'f'}`;
  backend.dispatch({
    key,
    code: () => shader(g, vecA, vecB, f16),
    buffers: g.bias ? [g.a, g.b, g.bias, g.out] : [g.a, g.b, g.out],
    uniforms: [g.m, g.n, g.k, g.strideA, g.strideB],
    workgroups: 0,
    grid: [Math.ceil(g.n / TILE), Math.ceil(g.m / TILE), g.batch],
  });
}
