import { type KernelFunc, ShapeError } from '@distilbert/core';
import { f32bits, type GpuBackend } from '../GpuBackend.js';
import { HEADER, WGSL_MASK_FILL } from './common.js';

const QUERIES = 64;

/**
 * Fused multi-head attention, flash-style: a workgroup takes 64 queries of one (batch, head); each thread
 * keeps its query row, running max, running sum and context accumulator in registers while K/V tiles stream
 * through workgroup memory, so the S×S scores never exist. Online softmax: when the max grows, the sum and
 * accumulator are rescaled by exp(old − new). Masked keys score finfo.min, exactly as the Softmax kernel,
 * so a fully masked row averages V uniformly.
 */
function shader(hd: number, keys: number): string {
  return `${HEADER}
const HD = ${hd}u;
const BK = ${keys}u;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K: array<f32>;
@group(0) @binding(3) var<storage, read> V: array<f32>;
@group(0) @binding(4) var<storage, read> Mask: array<i32>;
@group(0) @binding(5) var<storage, read_write> O: array<f32>;
var<workgroup> Ks: array<f32, ${keys * hd}>;
var<workgroup> Vs: array<f32, ${keys * hd}>;
var<workgroup> Live: array<u32, ${keys}>;

@compute @workgroup_size(${QUERIES})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let S = P(0); let H = P(1); let scale = PF(2);
  let D = H * HD;
  let b = wid.y / H; let h = wid.y % H;
  let qi = wid.x * ${QUERIES}u + li;
  let inRange = qi < S;
  var q: array<f32, ${hd}>;
  var acc: array<f32, ${hd}>;
  if (inRange) {
    let base = (b * S + qi) * D + h * HD;
    // HF scales q before the product; so do we, for the same rounding.
    for (var d = 0u; d < HD; d++) { q[d] = Q[base + d] * scale; }
  }
  var m = ${WGSL_MASK_FILL};
  var l = 0.0;
  for (var k0 = 0u; k0 < S; k0 += BK) {
    for (var e = li; e < BK * HD; e += ${QUERIES}u) {
      let j = k0 + e / HD;
      let src = (b * S + j) * D + h * HD + e % HD;
      let inside = j < S;
      Ks[e] = select(0.0, K[min(src, arrayLength(&K) - 1u)], inside);
      Vs[e] = select(0.0, V[min(src, arrayLength(&V) - 1u)], inside);
    }
    if (li < BK) {
      let j = k0 + li;
      Live[li] = select(0u, u32(Mask[min(b * S + j, arrayLength(&Mask) - 1u)] != 0), j < S);
    }
    workgroupBarrier();
    if (inRange) {
      let n = min(BK, S - k0);
      for (var j = 0u; j < n; j++) {
        var s = ${WGSL_MASK_FILL};
        if (Live[j] != 0u) {
          s = 0.0;
          for (var d = 0u; d < HD; d++) { s += q[d] * Ks[j * HD + d]; }
        }
        let mNew = max(m, s);
        let corr = exp(max(m - mNew, -200.0));
        let p = exp(max(s - mNew, -200.0));
        l = l * corr + p;
        for (var d = 0u; d < HD; d++) { acc[d] = acc[d] * corr + p * Vs[j * HD + d]; }
        m = mNew;
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    let base = (b * S + qi) * D + h * HD;
    for (var d = 0u; d < HD; d++) { O[base + d] = acc[d] / l; }
  }
}`;
}

export const attention =
  (backend: GpuBackend): KernelFunc<'Attention'> =>
  ({ q, k, v, mask }, { numHeads, scale }) => {
    const [b, s, d] = q.shape;
    if (
      q.shape.length !== 3 ||
      k.shape.join() !== q.shape.join() ||
      v.shape.join() !== q.shape.join() ||
      mask.shape.join() !== `${b},${s}` ||
      mask.dtype !== 'int32' ||
      d % numHeads !== 0
    ) {
      throw new ShapeError(
        `Attention: q/k/v [B, S, H·hd] and mask [B, S] int32 expected, got q [${q.shape}], k [${k.shape}], v [${v.shape}], mask [${mask.shape}] with ${numHeads} heads.`,
      );
    }
    const hd = d / numHeads;
    const out = backend.allocate(q.shape, 'float32');
    if (b * s * d === 0) return { dataId: out, shape: q.shape, dtype: 'float32' };
    // K and V tiles (and their mask flags) in workgroup memory: up to 32 keys, as many as the device allows
    // (16 KiB on a default device), a multiple of 8.
    const room = Math.floor(backend.device.limits.maxComputeWorkgroupStorageSize / (8 * hd + 4));
    const keys = Math.max(1, Math.min(32, room >= 8 ? room - (room % 8) : room));
    backend.dispatch({
      key: `attention_${hd}_${keys}`,
      code: () => shader(hd, keys),
      buffers: [
        backend.data(q).buffer,
        backend.data(k).buffer,
        backend.data(v).buffer,
        backend.data(mask).buffer,
        out.buffer,
      ],
      uniforms: [s, numHeads, f32bits(scale)],
      workgroups: 0,
      grid: [Math.ceil(s / QUERIES), b * numHeads, 1],
    });
    return { dataId: out, shape: q.shape, dtype: 'float32' };
  };
