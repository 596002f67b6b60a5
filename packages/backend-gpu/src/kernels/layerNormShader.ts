import { ShapeError, sizeOf, type TensorInfo } from '@distilbert/core';
import { f32bits, type GpuBackend } from '../GpuBackend.js';
import { HEADER } from './common.js';

const THREADS = 64;

/** Tree reductions over the workgroup; both are called from workgroup-uniform control flow. */
export const WGSL_REDUCE = /* wgsl */ `
var<workgroup> red: array<f32, ${THREADS}>;
fn reduceSum(li: u32, v: f32) -> f32 {
  red[li] = v;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { red[li] += red[li + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn reduceMax(li: u32, v: f32) -> f32 {
  red[li] = v;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { red[li] = max(red[li], red[li + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;
export const REDUCE_THREADS = THREADS;

/**
 * LayerNorm over the last axis, of x or (fused) of x + residual: one workgroup per row, mean first, then
 * the variance of the centred values (two passes, as PyTorch, so large means do not cancel).
 */
export function layerNorm(
  backend: GpuBackend,
  name: string,
  x: TensorInfo,
  residual: TensorInfo | undefined,
  gamma: TensorInfo,
  beta: TensorInfo,
  epsilon: number,
): TensorInfo {
  const d = x.shape[x.shape.length - 1];
  if (
    x.dtype !== 'float32' ||
    sizeOf(gamma.shape) !== d ||
    sizeOf(beta.shape) !== d ||
    (residual && residual.shape.join() !== x.shape.join())
  ) {
    throw new ShapeError(
      `${name}: x [${x.shape}]${residual ? `, residual [${residual.shape}]` : ''}, gamma [${gamma.shape}], beta [${beta.shape}] do not fit.`,
    );
  }
  const rows = d === 0 ? 0 : sizeOf(x.shape) / d;
  const out = backend.allocate(x.shape, 'float32');
  if (rows === 0) return { dataId: out, shape: x.shape, dtype: 'float32' };
  const res = residual !== undefined;
  const read = res ? 'X[j] + R[j]' : 'X[j]';
  const b = res ? 1 : 0;
  backend.dispatch({
    key: `layernorm_${res}`,
    code: () => `${HEADER}${WGSL_REDUCE}
@group(0) @binding(1) var<storage, read> X: array<f32>;
${res ? '@group(0) @binding(2) var<storage, read> R: array<f32>;' : ''}
@group(0) @binding(${2 + b}) var<storage, read> G: array<f32>;
@group(0) @binding(${3 + b}) var<storage, read> Bt: array<f32>;
@group(0) @binding(${4 + b}) var<storage, read_write> Y: array<f32>;
fn value(j: u32) -> f32 { return ${read}; }
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = flatGroup(wid, nwg);
  if (row >= P(0)) { return; }
  let D = P(1); let eps = PF(2); let base = row * D;
  var s = 0.0;
  for (var i = li; i < D; i += ${THREADS}u) { s += value(base + i); }
  let mean = reduceSum(li, s) / f32(D);
  var q = 0.0;
  for (var i = li; i < D; i += ${THREADS}u) { let c = value(base + i) - mean; q += c * c; }
  let sd = sqrt(reduceSum(li, q) / f32(D) + eps);
  for (var i = li; i < D; i += ${THREADS}u) {
    Y[base + i] = (value(base + i) - mean) / sd * G[i] + Bt[i];
  }
}`,
    buffers: [
      backend.data(x).buffer,
      ...(residual ? [backend.data(residual).buffer] : []),
      backend.data(gamma).buffer,
      backend.data(beta).buffer,
      out.buffer,
    ],
    uniforms: [rows, d, f32bits(epsilon)],
    workgroups: rows,
  });
  return { dataId: out, shape: x.shape, dtype: 'float32' };
}
