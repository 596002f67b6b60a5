import { InputError, type KernelFunc, ShapeError, sizeOf } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { groups, HEADER } from './common.js';

/**
 * Embedding gather: output row i is row indices[i] of x, copied 4 values per thread when the width allows.
 * Ids uploaded from the host are checked here (the GPU cannot throw); ids computed on the GPU are clamped.
 */
export const gather =
  (backend: GpuBackend): KernelFunc<'Gather'> =>
  ({ x, indices }) => {
    if (x.shape.length !== 2 || indices.dtype !== 'int32') {
      throw new ShapeError(
        `Gather: x [V, D] and int32 indices expected, got [${x.shape}] and ${indices.dtype}.`,
      );
    }
    const [rows, d] = x.shape;
    const ids = backend.data(indices);
    if (ids.host) {
      for (const id of ids.host) {
        if (!(id >= 0 && id < rows)) {
          throw new InputError(`Gather: id ${id} is outside the ${rows} rows of the table [0, ${rows}).`);
        }
      }
    }
    const outShape = [...indices.shape, d];
    const n = sizeOf(indices.shape);
    const out = backend.allocate(outShape, x.dtype);
    const vec = d % 4 === 0;
    const width = vec ? d / 4 : d;
    const total = n * width;
    if (total > 0) {
      const t = vec ? 'vec4<u32>' : 'u32';
      backend.dispatch({
        key: `gather_${vec}`,
        code: () => `${HEADER}
@group(0) @binding(1) var<storage, read> X: array<${t}>;
@group(0) @binding(2) var<storage, read> Idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> Y: array<${t}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * 256u + li;
  if (i >= P(0)) { return; }
  let W = P(1);
  let id = u32(clamp(Idx[i / W], 0, i32(P(2)) - 1));
  Y[i] = X[id * W + i % W];
}`,
        buffers: [backend.data(x).buffer, ids.buffer, out.buffer],
        uniforms: [total, width, rows],
        workgroups: groups(total, 256),
      });
    }
    return { dataId: out, shape: outShape, dtype: x.dtype };
  };
