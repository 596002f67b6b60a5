import { ShapeError, sizeOf, type TensorInfo } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { groups, HEADER } from './common.js';

export const MAX_RANK = 6;

/**
 * Gathers a strided view of x into a new contiguous tensor: output coordinate c (row-major over `outShape`)
 * reads x at offset + Σ c[i]·strides[i]. Transpose and Slice are both this copy; it moves raw 32-bit words,
 * so it serves float32 and int32 alike.
 */
export function stridedCopy(
  backend: GpuBackend,
  name: string,
  x: TensorInfo,
  outShape: readonly number[],
  strides: readonly number[],
  offset: number,
): TensorInfo {
  if (outShape.length > MAX_RANK) throw new ShapeError(`${name}: rank ${outShape.length} > ${MAX_RANK}.`);
  const n = sizeOf(outShape);
  const out = backend.allocate(outShape, x.dtype);
  if (n > 0) {
    const pad = (v: readonly number[]) => [...v, ...Array(MAX_RANK - v.length).fill(0)];
    backend.dispatch({
      key: 'strided_copy',
      code: () => `${HEADER}
@group(0) @binding(1) var<storage, read> X: array<u32>;
@group(0) @binding(2) var<storage, read_write> Y: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * 256u + li;
  if (i >= P(0)) { return; }
  var rest = i;
  var src = P(2);
  for (var d = i32(P(1)) - 1; d >= 0; d--) {
    let size = P(3u + u32(d));
    src += (rest % size) * P(3u + ${MAX_RANK}u + u32(d));
    rest /= size;
  }
  Y[i] = X[src];
}`,
      buffers: [backend.data(x).buffer, out.buffer],
      uniforms: [n, outShape.length, offset, ...pad(outShape), ...pad(strides)],
      workgroups: groups(n, 256),
    });
  }
  return { dataId: out, shape: outShape, dtype: x.dtype };
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}
