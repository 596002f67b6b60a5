import { ShapeError, sizeOf, type TensorInfo } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { groups, HEADER } from './common.js';

/** a ⊕ b where b's shape is a suffix of a's (bias, scalar): b is indexed modulo its size. */
export function binary(
  backend: GpuBackend,
  op: '+' | '*',
  name: string,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const suffix = a.shape.slice(a.shape.length - b.shape.length);
  if (b.shape.length > a.shape.length || suffix.some((d, i) => d !== b.shape[i]) || a.dtype !== b.dtype) {
    throw new ShapeError(
      `${name}: b [${b.shape}] (${b.dtype}) must be a suffix of a [${a.shape}] (${a.dtype}) with the same dtype.`,
    );
  }
  const n = sizeOf(a.shape);
  const bn = sizeOf(b.shape);
  const out = backend.allocate(a.shape, a.dtype);
  if (n > 0) {
    const s = a.dtype === 'int32' ? 'i32' : 'f32';
    // vec: both sides in vec4s; splat: scalar b over vec4 a; else one value per thread.
    const mode = n % 4 === 0 ? (bn % 4 === 0 ? 'vec' : bn === 1 ? 'splat' : 'scalar') : 'scalar';
    const ta = mode === 'scalar' ? s : `vec4<${s}>`;
    const tb = mode === 'vec' ? `vec4<${s}>` : s;
    const count = mode === 'scalar' ? n : n / 4;
    const bCount = mode === 'vec' ? bn / 4 : bn;
    const bExpr = mode === 'splat' ? `vec4<${s}>(B[0])` : 'B[i % P(1)]';
    backend.dispatch({
      key: `binary_${op}_${s}_${mode}`,
      code: () => `${HEADER}
@group(0) @binding(1) var<storage, read> A: array<${ta}>;
@group(0) @binding(2) var<storage, read> B: array<${tb}>;
@group(0) @binding(3) var<storage, read_write> Y: array<${ta}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * 256u + li;
  if (i >= P(0)) { return; }
  Y[i] = A[i] ${op} ${bExpr};
}`,
      buffers: [backend.data(a).buffer, backend.data(b).buffer, out.buffer],
      uniforms: [count, bCount],
      workgroups: groups(count, 256),
    });
  }
  return { dataId: out, shape: a.shape, dtype: a.dtype };
}
