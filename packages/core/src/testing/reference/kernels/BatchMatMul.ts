import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import { ShapeError } from '../../../errors.js';
import type { RefStore } from '../store.js';

type K = KernelSpecs['BatchMatMul'];

/** Plain triple loop, float64 accumulator, rank-2 operands shared across the batch. */
export function batchMatMul(
  s: RefStore,
  { a, b }: K['inputs'],
  { transposeA, transposeB }: K['attrs'],
): TensorInfo {
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const k = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const kb = transposeB ? b.shape[br - 1] : b.shape[br - 2];
  const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  if (k !== kb) throw new ShapeError(`BatchMatMul: inner sizes differ (${k} vs ${kb}).`);
  const batchA = ar === 3 ? a.shape[0] : 1;
  const batchB = br === 3 ? b.shape[0] : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new ShapeError(`BatchMatMul: batch sizes ${batchA} and ${batchB} do not broadcast.`);
  }
  const batch = Math.max(batchA, batchB);
  const av = s.get(a);
  const bv = s.get(b);
  const out = new Float32Array(batch * m * n);
  // Element strides of row i / column j / inner index t in each operand, transposed or not.
  const [aI, aT] = transposeA ? [1, m] : [k, 1];
  const [bT, bJ] = transposeB ? [1, k] : [n, 1];
  for (let p = 0; p < batch; p++) {
    const ao = (batchA === 1 ? 0 : p) * m * k;
    const bo = (batchB === 1 ? 0 : p) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let t = 0, x = ao + i * aI, y = bo + j * bJ; t < k; t++, x += aT, y += bT) acc += av[x] * bv[y];
        out[p * m * n + i * n + j] = acc;
      }
    }
  }
  return s.out(out, ar === 3 || br === 3 ? [batch, m, n] : [m, n]);
}
