import { readFileSync } from 'node:fs';
import { type DistilBertPreTrainedModel, engine, loadModel } from '@distilbert/core';
import { createReferenceBackend } from '@distilbert/core/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompose, pickSentinels } from '../src/graph/dims.js';
import { exportOnnx, OnnxBackend, OnnxExportError, traceModel } from '../src/index.js';
import { fixtureDir, maxDiff, paddedBatch, tempDir, toInt64 } from './helpers.js';

describe('runModel variants against the reference backend', () => {
  const backend = new OnnxBackend({ intraOpNumThreads: 1 });
  const reference = createReferenceBackend();
  let ours: DistilBertPreTrainedModel;
  let ref: DistilBertPreTrainedModel;
  beforeAll(async () => {
    ours = await loadModel(fixtureDir('tiny-distilbert-mlm'), { backend });
    ref = await loadModel(fixtureDir('tiny-distilbert-mlm'), { backend: reference });
  });
  afterAll(() => {
    ours?.dispose();
    ref?.dispose();
    backend.dispose();
    reference.dispose();
  });

  it('output_attentions and output_hidden_states (composite attention traced) match', async () => {
    const inputs = paddedBatch([9, 4], 9);
    const options = { output_attentions: true, output_hidden_states: true };
    const [a, b] = [await ours.forward(inputs, options), await ref.forward(inputs, options)];
    try {
      expect(a.attentions).toHaveLength(2);
      expect(a.hidden_states).toHaveLength(3);
      for (const [i, t] of a.attentions!.entries()) {
        expect(t.shape).toEqual([2, 4, 9, 9]);
        expect(
          maxDiff((await t.data()) as Float32Array, (await b.attentions![i].data()) as Float32Array),
        ).toBeLessThan(1e-6);
      }
      for (const [i, t] of a.hidden_states!.entries()) {
        expect(
          maxDiff((await t.data()) as Float32Array, (await b.hidden_states![i].data()) as Float32Array),
        ).toBeLessThan(1e-5);
      }
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('positions: only the asked rows are projected, and they equal the full logits rows', async () => {
    const inputs = paddedBatch([7, 7, 5], 7);
    const full = await ours.forward(inputs);
    const rows = await ours.forward(inputs, { positions: [3, 8, 20] });
    try {
      expect(rows.logits!.shape).toEqual([3, 30522]);
      const all = (await full.logits!.data()) as Float32Array;
      const got = (await rows.logits!.data()) as Float32Array;
      [3, 8, 20].forEach((p, r) => {
        expect(
          maxDiff(got.subarray(r * 30522, (r + 1) * 30522), all.subarray(p * 30522, (p + 1) * 30522)),
        ).toBe(0);
      });
    } finally {
      full.dispose();
      rows.dispose();
    }
  });

  it('frees its output tensors and keeps one session per model and variant', async () => {
    const before = engine.memory();
    const out = await ours.forward(paddedBatch([3], 3));
    out.dispose();
    expect(engine.memory()).toEqual(before);
  });
});

describe("quantize: 'int8' backend option", () => {
  it('runs the int8 graph: logits close to float32, same labels', async () => {
    const [fp, q] = [new OnnxBackend(), new OnnxBackend({ quantize: 'int8' })];
    const [a, b] = await Promise.all(
      [fp, q].map((backend) => loadModel(fixtureDir('tiny-distilbert-sst2'), { backend })),
    );
    const inputs = paddedBatch([12, 5, 9, 12], 12, 11);
    const [x, y] = [await a.forward(inputs), await b.forward(inputs)];
    const [lx, ly] = [(await x.logits!.data()) as Float32Array, (await y.logits!.data()) as Float32Array];
    const d = maxDiff(lx, ly);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(0.1);
    for (let r = 0; r < 4; r++) expect(ly[2 * r] > ly[2 * r + 1]).toBe(lx[2 * r] > lx[2 * r + 1]);
    x.dispose();
    y.dispose();
    a.dispose();
    b.dispose();
    fp.dispose();
    q.dispose();
  });
});

describe('tracing', () => {
  it('picks sentinel primes that divide no model constant, and factors sizes back', () => {
    const s = pickSentinels(
      ['batch_size', 'sequence_length'],
      [768, 3072, 30522, 12, 64, 2, 512],
      [1000, 500],
    );
    expect(s.map((x) => x.sentinel)).toEqual([997, 499]);
    expect(decompose(997 * 499 * 12, s)).toEqual({ coefficient: 12, exponents: [1, 1] });
    // 30522 = 2·3·5087: 3 is refused (a vocabulary-sized dim would factor as 10174·x), 5 is taken.
    expect(() => pickSentinels(['x'], [30522], [4])).toThrow(OnnxExportError);
    expect(pickSentinels(['x'], [30522], [6])[0].sentinel).toBe(5);
  });

  it('refuses positions on a model that is not MLM', async () => {
    const backend = new OnnxBackend();
    const model = await loadModel(fixtureDir('tiny-distilbert-sst2'), { backend });
    await expect(traceModel(model, { positions: true })).rejects.toThrow(OnnxExportError);
    model.dispose();
    backend.dispose();
  });

  it("gelu: 'contrib' emits com.microsoft Gelu and gives the same logits", async () => {
    const out = tempDir('contrib');
    const r = await exportOnnx({ model: fixtureDir('tiny-distilbert-sst2'), outDir: out, gelu: 'contrib' });
    const text = readFileSync(r.model).toString('latin1');
    expect(text).toContain('com.microsoft');
    const erf = await exportOnnx({ model: fixtureDir('tiny-distilbert-sst2'), outDir: tempDir('erf') });
    const inputs = paddedBatch([12, 8], 12);
    const feeds = {
      input_ids: new ort.Tensor('int64', toInt64(inputs.input_ids), inputs.shape),
      attention_mask: new ort.Tensor('int64', toInt64(inputs.attention_mask), inputs.shape),
    };
    const [a, b] = [await ort.InferenceSession.create(r.model), await ort.InferenceSession.create(erf.model)];
    const d = maxDiff(
      (await a.run(feeds)).logits.data as Float32Array,
      (await b.run(feeds)).logits.data as Float32Array,
    );
    expect(d).toBeLessThan(1e-5);
    await a.release();
    await b.release();
  });

  it('external data: weights in onnx/model.onnx_data load and run the same', async () => {
    const out = tempDir('external');
    const r = await exportOnnx({
      model: fixtureDir('tiny-distilbert-sst2'),
      outDir: out,
      externalData: true,
    });
    expect(r.files.some((f) => f.endsWith('model.onnx_data'))).toBe(true);
    expect(readFileSync(r.model).length).toBeLessThan(100_000);
    const plain = await exportOnnx({ model: fixtureDir('tiny-distilbert-sst2'), outDir: tempDir('inline') });
    const inputs = paddedBatch([6], 6);
    const feeds = {
      input_ids: new ort.Tensor('int64', toInt64(inputs.input_ids), inputs.shape),
      attention_mask: new ort.Tensor('int64', toInt64(inputs.attention_mask), inputs.shape),
    };
    const [a, b] = [
      await ort.InferenceSession.create(r.model),
      await ort.InferenceSession.create(plain.model),
    ];
    expect(
      maxDiff(
        (await a.run(feeds)).logits.data as Float32Array,
        (await b.run(feeds)).logits.data as Float32Array,
      ),
    ).toBe(0);
    await a.release();
    await b.release();
  });
});
