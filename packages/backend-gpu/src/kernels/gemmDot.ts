import type { Activation } from '@distilbert/core';
import { HEADER, WGSL_ACTIVATIONS } from './common.js';

/** Rows × columns each thread computes; a 16×16-thread workgroup covers (16·rm) × (16·rn) outputs. */
export interface RegisterTile {
  rm: number;
  rn: number;
}

// Largest first: bigger tiles reuse each loaded value more, but must still leave enough workgroups to
// fill the GPU (a batch-1 forward has only 128 rows).
const TILES: RegisterTile[] = [
  { rm: 8, rn: 8 },
  { rm: 8, rn: 4 },
  { rm: 4, rn: 4 },
  { rm: 2, rn: 4 },
];
const ENOUGH_WORKGROUPS = 160;

/** Workgroup memory a tile's two operand slices take (16 k, rows padded to 5 vec4s of 4-byte floats). */
export const tileBytes = (t: RegisterTile): number => 16 * (t.rm + t.rn) * 5 * 16;

/**
 * The register tile for an m × n product (× batch): the largest that fits the device's workgroup memory
 * (16 KiB on a default device, where 8×8 does not fit) and still gives enough workgroups.
 */
export function chooseTile(m: number, n: number, batch: number, workgroupBytes = 16384): RegisterTile {
  const fitting = TILES.filter((t) => tileBytes(t) <= workgroupBytes);
  for (const t of fitting) {
    if (Math.ceil(m / (16 * t.rm)) * Math.ceil(n / (16 * t.rn)) * batch >= ENOUGH_WORKGROUPS) return t;
  }
  return fitting[fitting.length - 1];
}

/**
 * C = act(A · Bᵀ + bias) with A [M, K] and B [N, K] both K-fastest and K % 4 == 0 (Linear's layout, and
 * q·kᵀ): tiles of 16 k are stored row-major (rows padded to 5 vec4s so a row of threads hits different
 * banks), filled with vec4 loads; each thread then does rm·rn vec4 dot products per 4 k.
 */
export function dotShader(t: RegisterTile, activation: Activation, bias: boolean, f16: boolean): string {
  const { rm, rn } = t;
  const tm = 16 * rm;
  const tn = 16 * rn;
  const groups = rn / 4;
  const loadB = Array.from({ length: rn }, (_, j) => `let b${j} = Bs[(lx * ${rn}u + ${j}u) * 5u + q];`).join(
    '\n      ',
  );
  const accumulate = Array.from({ length: groups }, (_, g) => {
    const d = [0, 1, 2, 3].map((c) => `f32(dot(a, b${4 * g + c}))`).join(', ');
    return `acc[i * ${groups}u + ${g}u] += vec4<f32>(${d});`;
  }).join('\n        ');
  return `${f16 ? 'enable f16;' : ''}${HEADER}${WGSL_ACTIVATIONS}
alias T = ${f16 ? 'f16' : 'f32'};
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;
${bias ? '@group(0) @binding(3) var<storage, read> Bias: array<f32>;' : ''}
@group(0) @binding(${bias ? 4 : 3}) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<vec4<T>, ${tm * 5}>;
var<workgroup> Bs: array<vec4<T>, ${tn * 5}>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = P(0); let N = P(1); let K = P(2);
  let offA = wid.z * P(3); let offB = wid.z * P(4); let offC = wid.z * M * N;
  let row0 = wid.y * ${tm}u; let col0 = wid.x * ${tn}u;
  let lx = lid.x; let ly = lid.y; let tid = ly * 16u + lx;
  var acc: array<vec4<f32>, ${rm * groups}>;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var e = tid; e < ${tm * 4}u; e += 256u) {
      let r = e / 4u; let q = e % 4u; let gr = row0 + r; let gk = k0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gr < M && gk < K) { v = A[(offA + gr * K + gk) / 4u]; }
      As[r * 5u + q] = vec4<T>(v);
    }
    for (var e = tid; e < ${tn * 4}u; e += 256u) {
      let r = e / 4u; let q = e % 4u; let gr = col0 + r; let gk = k0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gr < N && gk < K) { v = B[(offB + gr * K + gk) / 4u]; }
      Bs[r * 5u + q] = vec4<T>(v);
    }
    workgroupBarrier();
    for (var q = 0u; q < 4u; q++) {
      ${loadB}
      for (var i = 0u; i < ${rm}u; i++) {
        let a = As[(ly * ${rm}u + i) * 5u + q];
        ${accumulate}
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${rm}u; i++) {
    let r = row0 + ly * ${rm}u + i;
    if (r >= M) { break; }
    for (var j = 0u; j < ${rn}u; j++) {
      let c = col0 + lx * ${rn}u + j;
      if (c < N) {
        C[offC + r * N + c] = ${activation}_(acc[i * ${groups}u + j / 4u][j % 4u]${bias ? ' + Bias[c]' : ''});
      }
    }
  }
}`;
}
