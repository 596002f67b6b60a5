import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DistilBertPreTrainedModel, loadModel } from '@distilbert/core';
import { caseInputs, createReferenceBackend, listFixtures, readFixture } from '@distilbert/core/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelProto, num, onnx, type ValueInfoProto } from '../src/graph/proto.js';
import { exportOnnx } from '../src/index.js';
import { FIXTURES, fixtureDir, maxDiff, paddedBatch, tempDir, toInt64 } from './helpers.js';

// The exported file (int64 inputs, Optimum's output names) run by plain onnxruntime-node, checked against
// core's float64 reference backend at shapes other than the ones it was traced at.

describe('exportOnnx: tiny-distilbert-mlm', () => {
  const out = tempDir('mlm');
  let session: ort.InferenceSession;
  let reference: DistilBertPreTrainedModel;
  let graph: ModelProto;

  beforeAll(async () => {
    await exportOnnx({ model: fixtureDir('tiny-distilbert-mlm'), outDir: out });
    const bytes = readFileSync(join(out, 'onnx/model.onnx'));
    graph = onnx.ModelProto.decode(bytes);
    session = await ort.InferenceSession.create(bytes);
    reference = await loadModel(fixtureDir('tiny-distilbert-mlm'), { backend: createReferenceBackend() });
  });
  afterAll(async () => {
    await session?.release();
    reference?.dispose();
  });

  it('writes the transformers.js layout', () => {
    for (const f of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'vocab.txt',
      'onnx/model.onnx',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it('has int64 input_ids/attention_mask [batch_size, sequence_length], logits, opset 17', () => {
    const g = graph.graph!;
    const dims = (v: ValueInfoProto) =>
      v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || num(d.dimValue));
    expect(g.input!.map((i) => i.name)).toEqual(['input_ids', 'attention_mask']);
    for (const i of g.input!) {
      expect(i.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.INT64);
      expect(dims(i)).toEqual(['batch_size', 'sequence_length']);
    }
    expect(g.output!.map((o) => o.name)).toEqual(['logits']);
    expect(dims(g.output![0])).toEqual(['batch_size', 'sequence_length', 30522]);
    expect(num(graph.opsetImport!.find((o) => !o.domain)?.version)).toBe(17);
    const ops = new Set(g.node!.map((n) => n.opType));
    for (const op of ['LayerNormalization', 'Erf', 'Softmax', 'Range', 'Where'])
      expect(ops.has(op), op).toBe(true);
    expect(ops.has('Gelu'), 'no contrib Gelu by default').toBe(false);
    // Positions come from Range over the sequence length, not a baked [S, dim] constant; the tied
    // projector reuses the word-embedding initializer (one 30522 x 32 table in the file).
    const big = g.initializer!.filter((t) => t.dims!.map(num).includes(30522) && t.dims!.length === 2);
    expect(big.map((t) => t.name)).toEqual(['distilbert.embeddings.word_embeddings.weight']);
  });

  for (const [lengths, seq] of [
    [[5], 5],
    [[11, 3, 9], 11],
    [[64, 40], 64],
  ] as const) {
    it(`dynamic axes: [${lengths.length}, ${seq}] matches the reference backend within 1e-5`, async () => {
      const inputs = paddedBatch(lengths, seq);
      const res = await session.run({
        input_ids: new ort.Tensor('int64', toInt64(inputs.input_ids), inputs.shape),
        attention_mask: new ort.Tensor('int64', toInt64(inputs.attention_mask), inputs.shape),
      });
      const want = await reference.forward(inputs);
      const d = maxDiff(res.logits.data as Float32Array, (await want.logits!.data()) as Float32Array);
      want.dispose();
      expect(res.logits.dims).toEqual([lengths.length, seq, 30522]);
      expect(d).toBeLessThanOrEqual(1e-5);
    });
  }
});

describe('exportOnnx: every fixture head, first cases, through the exported file', () => {
  for (const name of listFixtures(FIXTURES)) {
    const fixture = readFixture(FIXTURES, name);
    if (!fixture.hasWeights) continue;
    it(`${name}: outputs within 1e-5 of the PyTorch reference`, async () => {
      const out = tempDir(name);
      const result = await exportOnnx({ model: fixture.dir, outDir: out });
      const session = await ort.InferenceSession.create(result.model);
      const expected = await fixture.expected();
      try {
        for (const c of fixture.cases.slice(0, 4)) {
          const inputs = caseInputs(c);
          const res = await session.run({
            input_ids: new ort.Tensor('int64', toInt64(inputs.input_ids), inputs.shape),
            attention_mask: new ort.Tensor('int64', toInt64(inputs.attention_mask!), inputs.shape),
          });
          for (const key of result.outputs) {
            if (!c.tensors[key]) continue; // MLM logits are only stored for some cases
            const d = maxDiff(res[key].data as Float32Array, expected.float32(c.tensors[key].name));
            expect(d, `${c.id} ${key}`).toBeLessThanOrEqual(1e-5);
          }
        }
      } finally {
        await session.release();
      }
    });
  }
});
