import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseInputs, readFixture } from '@distilbert/core/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnx } from '../src/graph/proto.js';
import { exportOnnx, quantizeInt8 } from '../src/index.js';
import { FIXTURES, maxDiff, tempDir, toInt64 } from './helpers.js';

// The accuracy cost of dynamic int8 linear layers, measured against the float export on fixture cases.
async function compare(name: string, weights: 'asymmetric' | 'symmetric') {
  const fixture = readFixture(FIXTURES, name);
  const out = tempDir(`q-${name}`);
  const r = await exportOnnx({ model: fixture.dir, outDir: out, quantize: 'int8', quantizeWeights: weights });
  const float = await ort.InferenceSession.create(r.model);
  const quant = await ort.InferenceSession.create(r.quantized!);
  let diff = 0;
  let agree = 0;
  let rows = 0;
  let scale = 0;
  for (const c of fixture.cases) {
    const inputs = caseInputs(c);
    const feeds = {
      input_ids: new ort.Tensor('int64', toInt64(inputs.input_ids), inputs.shape),
      attention_mask: new ort.Tensor('int64', toInt64(inputs.attention_mask!), inputs.shape),
    };
    const a = (await float.run(feeds)).logits;
    const b = (await quant.run(feeds)).logits;
    const fa = a.data as Float32Array;
    const fb = b.data as Float32Array;
    diff = Math.max(diff, maxDiff(fa, fb));
    for (const v of fa) scale = Math.max(scale, Math.abs(v));
    const width = a.dims[a.dims.length - 1];
    const mask = inputs.attention_mask!;
    for (let row = 0; row < fa.length / width; row++) {
      // Token-level heads: only real tokens count.
      if (a.dims.length === 3 && mask[row] === 0) continue;
      const argmax = (x: Float32Array) => {
        let best = 0;
        for (let j = 1; j < width; j++) if (x[row * width + j] > x[row * width + best]) best = j;
        return best;
      };
      rows++;
      if (argmax(fa) === argmax(fb)) agree++;
    }
  }
  await float.release();
  await quant.release();
  const sizes = [readFileSync(r.model).length, readFileSync(r.quantized!).length];
  return { diff, agreement: agree / rows, rows, scale, sizes, file: join(out, 'onnx/model_quantized.onnx') };
}

describe('int8 dynamic quantisation (onnx/model_quantized.onnx)', () => {
  it('replaces every linear layer by DynamicQuantizeLinear + MatMulInteger', async () => {
    const { file } = await compare('tiny-distilbert-sst2', 'symmetric');
    const g = onnx.ModelProto.decode(readFileSync(file)).graph!;
    const count = (op: string) => g.node!.filter((n) => n.opType === op).length;
    // 2 layers x (q, k, v, out, lin1, lin2) + pre_classifier + classifier = 14 linear layers.
    expect(count('MatMulInteger')).toBe(14);
    // q, k and v share one quantised input per layer: 2 x (x, context, h, gelu) + 2 head inputs.
    expect(count('DynamicQuantizeLinear')).toBe(10);
    expect(count('Gemm')).toBe(0);
    // Attention's two activation products stay float.
    expect(count('MatMul')).toBe(4);
  });

  it('quantizes a decoded model file the same as the export does (unaligned initializer bytes)', async () => {
    const out = tempDir('q-decoded');
    const r = await exportOnnx({ model: `${FIXTURES}/tiny-distilbert-sst2`, outDir: out, quantize: 'int8' });
    const decoded = onnx.ModelProto.decode(readFileSync(r.model));
    const again = onnx.ModelProto.encode(quantizeInt8(decoded)).finish();
    expect(Buffer.from(again).equals(readFileSync(r.quantized!))).toBe(true);
  });

  for (const [name, weights, maxLogitDiff, minAgreement] of [
    ['tiny-distilbert-sst2', 'symmetric', 0.1, 1],
    ['tiny-distilbert-ner', 'symmetric', 0.15, 0.97],
    ['tiny-distilbert-mlm', 'symmetric', 0.1, 0.85],
    ['tiny-distilbert-sst2', 'asymmetric', 0.1, 1],
    ['tiny-distilbert-ner', 'asymmetric', 0.15, 0.97],
    ['tiny-distilbert-mlm', 'asymmetric', 0.1, 0.85],
  ] as const) {
    it(`${name} (${weights} weights): logits within ${maxLogitDiff}, argmax agreement ≥ ${minAgreement}`, async () => {
      const r = await compare(name, weights);
      console.log(
        `int8 ${name} ${weights}: max |logit diff| ${r.diff.toExponential(2)} (logit scale ${r.scale.toFixed(2)}), argmax agreement ${(100 * r.agreement).toFixed(1)}% of ${r.rows} rows, file ${r.sizes[0]} → ${r.sizes[1]} bytes`,
      );
      expect(r.diff).toBeGreaterThan(0); // it really is quantised
      expect(r.diff).toBeLessThanOrEqual(maxLogitDiff);
      expect(r.agreement).toBeGreaterThanOrEqual(minAgreement);
    });
  }
});
