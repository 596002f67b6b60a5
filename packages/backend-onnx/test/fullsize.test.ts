// The full-size random DistilBERT (768/12/6/3072, 30522 vocab) through the onnx backend's runModel path,
// against the float64 PyTorch reference. The weights (255 MiB) are not in git: ensureFullsizeModel writes
// them bit-exactly into node_modules/.cache (a few seconds with numpy), checked by sha256.
import { join } from 'node:path';
import { type DistilBertPreTrainedModel, loadModel, openSafetensors } from '@distilbert/core';
import { caseInputs, checkFixtureCase, ensureFullsizeModel, readFixture } from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxBackend } from '../src/index.js';
import { FIXTURES, maxDiff } from './helpers.js';

const ATOL = 5e-5; // fixtures/models/README.md, "full size"

const fixture = readFixture(FIXTURES, 'fullsize-distilbert-mlm');
let backend: OnnxBackend;
let model: DistilBertPreTrainedModel;

beforeAll(async () => {
  const dir = await ensureFullsizeModel();
  backend = new OnnxBackend({ intraOpNumThreads: 2 });
  model = await loadModel(dir, { backend });
}, 300_000);
afterAll(() => {
  model?.dispose();
  backend?.dispose();
});

describe('full-size DistilBertForMaskedLM on onnxruntime-node (runModel)', () => {
  for (const c of fixture.cases) {
    // positions (the [MASK] rows and a sample) through the gather-in-graph variant, as the kit checks them.
    it(`${c.id} [${c.batch}, ${c.seq_len}]: within ${ATOL} of PyTorch float64`, async () => {
      const expected = await fixture.expected();
      await checkFixtureCase(model, fixture, c, expected, ATOL, '');
    });
    it(`${c.id}: full [B, S, vocab] logits at the [MASK] rows and hidden states within ${ATOL}`, async () => {
      const expected = await openSafetensors(join(fixture.dir, 'expected.safetensors'));
      const out = await model.forward(caseInputs(c));
      try {
        const s = c.seq_len;
        const hidden = (await out.last_hidden_state.data()) as Float32Array;
        const dh = maxDiff(hidden, expected.float32(c.tensors.last_hidden_state.name));
        const logits = (await out.logits!.data()) as Float32Array;
        const rowIndex = expected.bigint64(c.tensors.logits_rows_index.name);
        const rows = expected.float32(c.tensors.logits_rows.name);
        const V = 30522;
        let dr = 0;
        for (let r = 0; r < rowIndex.length / 2; r++) {
          const p = Number(rowIndex[2 * r]) * s + Number(rowIndex[2 * r + 1]);
          dr = Math.max(dr, maxDiff(logits.subarray(p * V, (p + 1) * V), rows.subarray(r * V, (r + 1) * V)));
        }
        console.log(
          `fullsize ${c.id}: max |diff| hidden ${dh.toExponential(2)}, [MASK] logit rows ${dr.toExponential(2)}`,
        );
        expect(dh).toBeLessThanOrEqual(ATOL);
        expect(dr).toBeLessThanOrEqual(ATOL);
      } finally {
        out.dispose();
        expected.close();
      }
    });
  }
});
