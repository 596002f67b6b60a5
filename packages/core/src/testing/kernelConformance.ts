import type { KernelBackend } from '../backend/KernelBackend.js';
import type { KernelName } from '../backend/kernels.js';
import { engine } from '../engine/engine.js';
import { addLayerNorm } from '../ops/addLayerNorm.js';
import { attention } from '../ops/attention.js';
import { linear } from '../ops/linear.js';
import { allocate, sizeOf, type TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/Tensor.js';
import type { Fill, InputSpec, KernelCase } from './kernelCases.js';
import { seededRandom, seedOf } from './random.js';
import { requireVitest } from './vitest.js';

export interface Tolerance {
  atol: number;
  rtol: number;
}

/** Float32 kernels against the float64 reference: |got − want| ≤ atol + rtol·|want|. */
export const DEFAULT_KERNEL_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-5 };

function fillValues(spec: InputSpec, rand: () => number): TypedArray {
  const n = sizeOf(spec.shape);
  const out = allocate(spec.dtype ?? 'float32', n);
  const fill: Fill = spec.fill ?? 'normal';
  for (let i = 0; i < n; i++) {
    if (Array.isArray(fill)) out[i] = (fill as readonly number[])[i];
    else if (typeof fill === 'object') out[i] = Math.floor(rand() * (fill as { ids: number }).ids);
    else {
      const u = rand() * 4 - 2;
      out[i] = fill === 'wide' && rand() < 0.2 ? u * 4 : u;
    }
  }
  return out;
}

/** The case's input values, the same on every run. */
export function caseValues(c: KernelCase): Record<string, TypedArray> {
  const rand = seededRandom(seedOf(`${c.kernel} ${c.label}`));
  return Object.fromEntries(Object.entries(c.inputs).map(([k, spec]) => [k, fillValues(spec, rand)]));
}

function upload(
  backend: KernelBackend,
  c: KernelCase,
  values: Record<string, TypedArray>,
): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(c.inputs).map(([k, spec]) => [
      k,
      engine.makeTensor(backend, values[k].slice(), spec.shape, spec.dtype ?? 'float32'),
    ]),
  );
}

// Fused kernels are checked against what core would run without them: the composite ops.
function composite(c: KernelCase, t: Record<string, Tensor>): Tensor {
  const a = c.attrs as Record<string, never>;
  switch (c.kernel) {
    case 'Linear':
      return linear(t.x, t.weight, t.bias, a.activation);
    case 'AddLayerNorm':
      return addLayerNorm(t.x, t.residual, t.gamma, t.beta, a.epsilon);
    case 'Attention':
      return attention(t.q, t.k, t.v, t.mask, a.numHeads).context;
    default:
      return engine.runKernel(c.kernel, t as never, c.attrs as never);
  }
}

/** Runs `c` on the reference (plain, unfused) backend: the expected output. */
export async function expectedOutput(
  reference: KernelBackend,
  c: KernelCase,
  values: Record<string, TypedArray>,
): Promise<{ shape: readonly number[]; dtype: string; data: TypedArray }> {
  const inputs = upload(reference, c, values);
  const out = engine.tidy(() => composite(c, inputs));
  try {
    return { shape: out.shape, dtype: out.dtype, data: await out.data() };
  } finally {
    out.dispose();
    for (const t of Object.values(inputs)) t.dispose();
  }
}

/**
 * Runs one kernel case on `backend` and checks it against the reference: shape, dtype, values, that the
 * inputs were left untouched, and that no tensor or backend buffer outlives the case.
 */
export async function checkKernelCase(
  backend: KernelBackend,
  reference: KernelBackend,
  c: KernelCase,
  tolerance: Tolerance,
): Promise<void> {
  const { expect } = requireVitest();
  const values = caseValues(c);
  const want = await expectedOutput(reference, c, values);
  const engineBefore = engine.memory();
  const backendBefore = backend.memory();
  const inputs = upload(backend, c, values);
  let got: TypedArray;
  try {
    const out = engine.runKernel(c.kernel as KernelName, inputs as never, c.attrs as never);
    try {
      expect([...out.shape], 'output shape').toEqual([...want.shape]);
      expect(out.dtype, 'output dtype').toBe(want.dtype);
      got = await out.data();
    } finally {
      out.dispose();
    }
    for (const [k, t] of Object.entries(inputs)) {
      expect(Array.from(await t.data()), `kernel modified its input '${k}'`).toEqual(Array.from(values[k]));
    }
  } finally {
    for (const t of Object.values(inputs)) t.dispose();
  }
  expect(engine.memory(), 'live tensors after dispose (engine.memory())').toEqual(engineBefore);
  expect(
    { numDataIds: backend.memory().numDataIds, numBytes: backend.memory().numBytes },
    'backend buffers after dispose (backend.memory())',
  ).toEqual({ numDataIds: backendBefore.numDataIds, numBytes: backendBefore.numBytes });
  expect(got.length, 'output size').toBe(want.data.length);
  const bad = firstMismatch(got, want.data, want.dtype === 'int32' ? { atol: 0, rtol: 0 } : tolerance);
  if (bad) {
    expect.fail(
      `${c.kernel} ${c.label}: element ${bad.index} is ${bad.got}, the float64 reference gives ${bad.want} ` +
        `(|diff| ${Math.abs(bad.got - bad.want).toExponential(2)} > ${tolerance.atol} + ${tolerance.rtol}·|want|; max |diff| ${bad.maxDiff.toExponential(2)}).`,
    );
  }
}

function firstMismatch(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  { atol, rtol }: Tolerance,
): { index: number; got: number; want: number; maxDiff: number } | undefined {
  let first: { index: number; got: number; want: number } | undefined;
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (Number.isNaN(d) || d > maxDiff) maxDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    if (!(d <= atol + rtol * Math.abs(want[i])) && !first) first = { index: i, got: got[i], want: want[i] };
  }
  return first && { ...first, maxDiff };
}
