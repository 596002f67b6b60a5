import type { TensorInfo } from '../../../backend/KernelBackend.js';
import type { KernelSpecs } from '../../../backend/kernels.js';
import type { RefStore } from '../store.js';
import { softmaxRow } from './Softmax.js';

type K = KernelSpecs['Attention'];

/** Per batch, head and query: scores in float64, masked softmax, then the weighted sum of values. */
export function attention(
  s: RefStore,
  { q, k, v, mask }: K['inputs'],
  { numHeads, scale }: K['attrs'],
): TensorInfo {
  const [b, sq, d] = q.shape;
  const sk = k.shape[1];
  const hd = d / numHeads;
  const qv = s.get(q);
  const kv = s.get(k);
  const vv = s.get(v);
  const mv = s.get(mask);
  const out = new Float32Array(b * sq * d);
  const scores = new Float64Array(sk);
  const probs = new Float32Array(sk);
  for (let bi = 0; bi < b; bi++) {
    for (let h = 0; h < numHeads; h++) {
      for (let i = 0; i < sq; i++) {
        const qo = (bi * sq + i) * d + h * hd;
        for (let j = 0; j < sk; j++) {
          const ko = (bi * sk + j) * d + h * hd;
          let acc = 0;
          for (let t = 0; t < hd; t++) acc += qv[qo + t] * kv[ko + t];
          scores[j] = acc * scale;
        }
        softmaxRow(scores, mv, bi * sk, probs, 0);
        for (let t = 0; t < hd; t++) {
          let acc = 0;
          for (let j = 0; j < sk; j++) acc += probs[j] * vv[(bi * sk + j) * d + h * hd + t];
          out[qo + t] = acc;
        }
      }
    }
  }
  return s.out(out, [b, sq, d]);
}
