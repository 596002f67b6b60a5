import { basename, dirname } from 'node:path';
import { loadModel } from '@distilbert/core';
import {
  AutoModelForMaskedLM,
  AutoModelForQuestionAnswering,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  env,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, OnnxBackend } from '../src/index.js';
import { fixtureDir, maxDiff, paddedBatch, tempDir, toInt64 } from './helpers.js';

// The exported folder loaded OFFLINE by transformers.js gives the same outputs as our backend.
env.allowRemoteModels = false;
env.allowLocalModels = true;

const backend = new OnnxBackend();
afterAll(() => backend.dispose());

const classes = {
  'tiny-distilbert-mlm': AutoModelForMaskedLM,
  'tiny-distilbert-sst2': AutoModelForSequenceClassification,
  'tiny-distilbert-ner': AutoModelForTokenClassification,
  'tiny-distilbert-squad': AutoModelForQuestionAnswering,
} as const;

describe('interop: transformers.js runs our export', () => {
  for (const [name, Auto] of Object.entries(classes)) {
    it(`${name}: transformers.js outputs within 1e-5 of our onnx backend`, async () => {
      const out = tempDir(`tjs-${name}`);
      const r = await exportOnnx({ model: fixtureDir(name), outDir: out });
      env.localModelPath = `${dirname(out)}/`;
      const tjs = await Auto.from_pretrained(basename(out), { dtype: 'fp32', local_files_only: true });
      const ours = await loadModel(fixtureDir(name), { backend });
      const inputs = paddedBatch([13, 6, 9], 13, 3);
      const got = await tjs({
        input_ids: new Tensor('int64', toInt64(inputs.input_ids), [...inputs.shape]),
        attention_mask: new Tensor('int64', toInt64(inputs.attention_mask), [...inputs.shape]),
      });
      const want = await ours.forward(inputs);
      try {
        for (const key of r.outputs as ('logits' | 'start_logits' | 'end_logits')[]) {
          const ref = (await want[key]!.data()) as Float32Array;
          const d = maxDiff(got[key].data as Float32Array, ref);
          console.log(`${name} ${key}: transformers.js vs ours max |diff| ${d.toExponential(2)}`);
          expect(got[key].dims).toEqual([...want[key]!.shape]);
          expect(d).toBeLessThanOrEqual(1e-5);
        }
      } finally {
        want.dispose();
        ours.dispose();
        await tjs.dispose();
      }
    });
  }

  it("tiny-distilbert-sst2: transformers.js loads onnx/model_quantized.onnx with dtype 'q8'", async () => {
    const out = tempDir('tjs-q8');
    await exportOnnx({ model: fixtureDir('tiny-distilbert-sst2'), outDir: out, quantize: 'int8' });
    env.localModelPath = `${dirname(out)}/`;
    const [q8, fp32] = await Promise.all(
      (['q8', 'fp32'] as const).map((dtype) =>
        AutoModelForSequenceClassification.from_pretrained(basename(out), { dtype, local_files_only: true }),
      ),
    );
    const inputs = paddedBatch([13, 6, 9], 13, 5);
    const feeds = {
      input_ids: new Tensor('int64', toInt64(inputs.input_ids), [...inputs.shape]),
      attention_mask: new Tensor('int64', toInt64(inputs.attention_mask), [...inputs.shape]),
    };
    const [a, b] = [
      (await q8(feeds)).logits.data as Float32Array,
      (await fp32(feeds)).logits.data as Float32Array,
    ];
    const d = maxDiff(a, b);
    expect(d).toBeGreaterThan(0); // the int8 file really was the one loaded
    expect(d).toBeLessThan(0.1);
    await q8.dispose();
    await fp32.dispose();
  });
});
