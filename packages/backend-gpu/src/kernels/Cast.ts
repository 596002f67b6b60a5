import { type KernelFunc, sizeOf } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { groups, HEADER } from './common.js';

/** float32 ↔ int32; WGSL's i32(f32) truncates toward zero, as the kernel spec asks. */
export const cast =
  (backend: GpuBackend): KernelFunc<'Cast'> =>
  ({ x }, { dtype }) => {
    const n = sizeOf(x.shape);
    const out = backend.allocate(x.shape, dtype);
    if (n > 0) {
      const from = x.dtype === 'int32' ? 'i32' : 'f32';
      const to = dtype === 'int32' ? 'i32' : 'f32';
      backend.dispatch({
        key: `cast_${from}_${to}`,
        code: () => `${HEADER}
@group(0) @binding(1) var<storage, read> X: array<${from}>;
@group(0) @binding(2) var<storage, read_write> Y: array<${to}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * 256u + li;
  if (i >= P(0)) { return; }
  Y[i] = ${to}(X[i]);
}`,
        buffers: [backend.data(x).buffer, out.buffer],
        uniforms: [n],
        workgroups: groups(n, 256),
      });
    }
    return { dataId: out, shape: x.shape, dtype };
  };
