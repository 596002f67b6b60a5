import { sizeOf, type TensorInfo } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { groups, HEADER, WGSL_ACTIVATIONS } from './common.js';

/** Elementwise float op `fn` (one of common.ts's activations), 4 values per thread when the size allows. */
export function unary(backend: GpuBackend, fn: 'gelu' | 'relu' | 'tanh', x: TensorInfo): TensorInfo {
  const n = sizeOf(x.shape);
  const out = backend.allocate(x.shape, 'float32');
  const vec = n % 4 === 0;
  const count = vec ? n / 4 : n;
  if (n > 0) {
    const t = vec ? 'vec4<f32>' : 'f32';
    const body = vec ? `vec4<f32>(${fn}_(v.x), ${fn}_(v.y), ${fn}_(v.z), ${fn}_(v.w))` : `${fn}_(v)`;
    backend.dispatch({
      key: `unary_${fn}_${vec}`,
      code: () => `${HEADER}${WGSL_ACTIVATIONS}
@group(0) @binding(1) var<storage, read> X: array<${t}>;
@group(0) @binding(2) var<storage, read_write> Y: array<${t}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * 256u + li;
  if (i >= P(0)) { return; }
  let v = X[i];
  Y[i] = ${body};
}`,
      buffers: [backend.data(x).buffer, out.buffer],
      uniforms: [count],
      workgroups: groups(count, 256),
    });
  }
  return { dataId: out, shape: x.shape, dtype: 'float32' };
}
