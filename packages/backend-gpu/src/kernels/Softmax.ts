import { type KernelFunc, ShapeError, sizeOf } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { HEADER, WGSL_MASK_FILL } from './common.js';
import { REDUCE_THREADS as T, WGSL_REDUCE } from './layerNormShader.js';

/**
 * Softmax over the last axis, one workgroup per row. Masked keys take finfo.min, so a fully masked row is
 * uniform (every value equals the max); exp's argument is clamped at −200 (exp → 0 in float32) so
 * finfo.min − max never reaches −inf on drivers where exp(−inf) is not 0.
 */
export const softmax =
  (backend: GpuBackend): KernelFunc<'Softmax'> =>
  ({ x, mask }) => {
    const sk = x.shape[x.shape.length - 1];
    const rows = sk === 0 ? 0 : sizeOf(x.shape) / sk;
    const maskRows = mask ? mask.shape[0] : 1;
    if (
      x.dtype !== 'float32' ||
      (mask &&
        (mask.shape.length !== 2 ||
          mask.shape[1] !== sk ||
          mask.dtype !== 'int32' ||
          x.shape[0] !== maskRows))
    ) {
      throw new ShapeError(`Softmax: x [${x.shape}] with mask [${mask?.shape}] (int32 [B, Sk]) do not fit.`);
    }
    const out = backend.allocate(x.shape, 'float32');
    if (rows === 0) return { dataId: out, shape: x.shape, dtype: 'float32' };
    const m = mask !== undefined;
    backend.dispatch({
      key: `softmax_${m}`,
      code: () => `${HEADER}${WGSL_REDUCE}
@group(0) @binding(1) var<storage, read> X: array<f32>;
${m ? '@group(0) @binding(2) var<storage, read> Mask: array<i32>;' : ''}
@group(0) @binding(${m ? 3 : 2}) var<storage, read_write> Y: array<f32>;
fn value(row: u32, j: u32) -> f32 {
  ${m ? `if (Mask[(row / P(2)) * P(1) + j] == 0) { return ${WGSL_MASK_FILL}; }` : ''}
  return X[row * P(1) + j];
}
@compute @workgroup_size(${T})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row = flatGroup(wid, nwg);
  if (row >= P(0)) { return; }
  let S = P(1);
  var mx = ${WGSL_MASK_FILL};
  for (var j = li; j < S; j += ${T}u) { mx = max(mx, value(row, j)); }
  mx = reduceMax(li, mx);
  var s = 0.0;
  for (var j = li; j < S; j += ${T}u) { s += exp(max(value(row, j) - mx, -200.0)); }
  s = reduceSum(li, s);
  for (var j = li; j < S; j += ${T}u) { Y[row * S + j] = exp(max(value(row, j) - mx, -200.0)) / s; }
}`,
      buffers: m
        ? [backend.data(x).buffer, backend.data(mask).buffer, out.buffer]
        : [backend.data(x).buffer, out.buffer],
      uniforms: [rows, sk, rows / maskRows],
      workgroups: rows,
    });
    return { dataId: out, shape: x.shape, dtype: 'float32' };
  };
