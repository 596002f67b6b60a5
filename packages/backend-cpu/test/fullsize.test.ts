// The full-size random DistilBERT (768/12/6/3072, 30522 vocab) against the float64 PyTorch reference, at 2
// threads on the relaxed-SIMD (default) and strict SIMD kernels: every position's top-5 logits and logsumexp,
// and the full rows at [MASK], beyond what the kit checks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DistilBertPreTrainedModel, loadModel, openSafetensors } from '@distilbert/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CpuBackend, createCpuBackend } from '../src/index.js';
import { ensureFullsizeWeights } from './fullsizeWeights.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = `${root}fixtures/models/fullsize-distilbert-mlm/`;
const ATOL = 5e-5; // fixtures/models/README.md, "full size"

interface Case {
  id: string;
  batch: number;
  seq_len: number;
  input_ids: number[][];
  attention_mask: number[][];
  tensors: Record<string, { name: string }>;
}

const cases: Case[] = JSON.parse(readFileSync(`${fixture}expected.json`, 'utf8')).cases;

for (const wasm of ['relaxed', 'simd'] as const)
  describe(`full-size DistilBertForMaskedLM on backend-cpu (${wasm === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}, 2 threads)`, () => {
    let backend: CpuBackend;
    let model: DistilBertPreTrainedModel;

    beforeAll(async () => {
      const dir = ensureFullsizeWeights();
      backend = await createCpuBackend({ threads: 2, wasm });
      model = await loadModel(dir, { backend });
    }, 300_000);
    afterAll(() => {
      model?.dispose();
      backend?.dispose();
    });

    it('runs the kernels asked for', () => {
      expect(backend.gemmKind).toBe(wasm === 'relaxed' ? 'wasm-relaxed-simd' : 'wasm-simd');
    });

    for (const c of cases) {
      it(`${c.id}: hidden states and MLM logits within ${ATOL} of PyTorch float64`, async () => {
        const expected = await openSafetensors(`${fixture}expected.safetensors`);
        const want = (key: string) => expected.float32(c.tensors[key].name);
        const [b, s] = [c.batch, c.seq_len];
        const out = await model.forward({
          input_ids: Int32Array.from(c.input_ids.flat()),
          attention_mask: Int32Array.from(c.attention_mask.flat()),
          shape: [b, s],
        });
        try {
          const hidden = (await out.last_hidden_state.data()) as Float32Array;
          const wantHidden = want('last_hidden_state');
          let dh = 0;
          for (let i = 0; i < hidden.length; i++) dh = Math.max(dh, Math.abs(hidden[i] - wantHidden[i]));
          expect(dh).toBeLessThan(ATOL);

          const logits = (await out.logits!.data()) as Float32Array;
          const vocab = 30522;
          expect(logits.length).toBe(b * s * vocab);
          // top-5 values at the stored indices, and logsumexp over the whole vocabulary, at every position
          const topV = want('logits_topk_values');
          const topI = expected.bigint64(c.tensors.logits_topk_indices.name);
          const lse = want('logits_logsumexp');
          let dt = 0;
          let dl = 0;
          for (let p = 0; p < b * s; p++) {
            for (let t = 0; t < 5; t++) {
              dt = Math.max(dt, Math.abs(logits[p * vocab + Number(topI[p * 5 + t])] - topV[p * 5 + t]));
            }
            let max = Number.NEGATIVE_INFINITY;
            for (let v = 0; v < vocab; v++) max = Math.max(max, logits[p * vocab + v]);
            let sum = 0;
            for (let v = 0; v < vocab; v++) sum += Math.exp(logits[p * vocab + v] - max);
            dl = Math.max(dl, Math.abs(max + Math.log(sum) - lse[p]));
          }
          expect(dt).toBeLessThan(ATOL);
          expect(dl).toBeLessThan(ATOL);
          // full logit rows at the [MASK] positions
          const rowIndex = expected.bigint64(c.tensors.logits_rows_index.name);
          const rows = want('logits_rows');
          let dr = 0;
          for (let r = 0; r < rowIndex.length / 2; r++) {
            const p = Number(rowIndex[2 * r]) * s + Number(rowIndex[2 * r + 1]);
            for (let v = 0; v < vocab; v++)
              dr = Math.max(dr, Math.abs(logits[p * vocab + v] - rows[r * vocab + v]));
          }
          expect(dr).toBeLessThan(ATOL);
          console.log(
            `${wasm} ${c.id}: max|diff| hidden ${dh.toExponential(2)}, top-5 ${dt.toExponential(2)}, logsumexp ${dl.toExponential(2)}, rows ${dr.toExponential(2)}`,
          );
        } finally {
          out.dispose();
          expected.close();
        }
      });
    }
  });
