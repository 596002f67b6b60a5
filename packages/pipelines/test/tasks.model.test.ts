// Every task end to end on the fixture checkpoints, on every backend (reference, cpu, gpu, onnx), with the
// fixture tokenization: batching, padding, mask positions and output order checked against the
// PyTorch-reference outputs.
import { type ArchitectureName, getBackend, loadModel } from '@distilbert/core';
import '@distilbert/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asFunction, createTaskPipeline } from '../src/pipeline.js';
import { questionAnsweringPostprocess } from '../src/postprocess/questionAnswering.js';
import { tokenClassificationPostprocess } from '../src/postprocess/tokenClassification.js';
import type { Task } from '../src/tasks/defaults.js';
import type { ModelLike, TokenizerLike } from '../src/types.js';
import { expected, fixtureEncoding, fixtureTokenizer, modelDir } from './helpers/fixtures.js';

const BACKENDS = (process.env.PIPELINES_TEST_BACKEND ?? 'reference,cpu,gpu,onnx').split(',');
const loaded: ModelLike[] = [];

type AnyCall = (...args: unknown[]) => Promise<unknown>;

afterAll(() => {
  for (const m of loaded) m.dispose();
});

describe.each(BACKENDS)('pipelines on the fixture models (%s backend)', (BACKEND) => {
  // Without a WebGPU adapter the gpu cases are skipped locally, but fail in CI (CI=true installs lavapipe):
  // a gpu run that silently skips proves nothing. Every other backend must load.
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      await getBackend(BACKEND);
    } catch (error) {
      if (BACKEND !== 'gpu' || process.env.CI) throw error;
      unavailable = `no WebGPU adapter for the gpu backend (${(error as Error).message.split('\n')[0]})`;
      console.warn(`[pipelines tests] skipping the gpu backend: ${unavailable}`);
    }
  });
  beforeEach((ctx) => {
    if (unavailable) ctx.skip(unavailable);
  });

  async function make(
    task: Task,
    name: string,
    arch: ArchitectureName,
    batchSize = 2,
    tok?: TokenizerLike,
  ): Promise<AnyCall> {
    const model = (await loadModel(modelDir(name), {
      backend: BACKEND,
      architecture: arch,
    })) as unknown as ModelLike;
    loaded.push(model);
    const instance = createTaskPipeline(task, model, tok ?? (await fixtureTokenizer(name)), { batchSize });
    // Each test knows its task's call signature.
    return asFunction(instance as Parameters<typeof asFunction>[0], name) as unknown as AnyCall;
  }

  it('fill-mask: batched (sorted, padded, restored), only mask rows projected, scores = reference softmax', async () => {
    const exp = await expected('mlm');
    const fill = await make('fill-mask', 'mlm', 'DistilBertForMaskedLM');
    const picks = [
      ['mask_single', 0],
      ['batch2_uneven', 0],
      ['mask_two', 0],
      ['batch3_padded', 1],
    ] as const;
    const texts = picks.map(([id, b]) => exp.case(id).texts![b][0]);
    const out = (await fill(texts, { top_k: 5 })) as unknown[];
    expect(out).toHaveLength(4);
    picks.forEach(([id, b], i) => {
      const c = exp.case(id);
      const topv = exp.tensor(id, 'logits_topk_values');
      const lse = exp.tensor(id, 'logits_logsumexp');
      const masks = c.tokens[b].flatMap((t, s) => (t === '[MASK]' ? [s] : []));
      const perMask = (masks.length === 1 ? [out[i]] : out[i]) as { score: number }[][];
      masks.forEach((s, m) => {
        const at = b * c.seq_len + s;
        perMask[m].forEach((p, r) => {
          expect(p.score).toBeCloseTo(Math.exp(topv[at * 5 + r] - lse[at]), 5);
        });
      });
    });
  });

  it('fill-mask asks the model only for the [MASK] rows, in length-sorted padded batches', async () => {
    const exp = await expected('mlm');
    const model = (await loadModel(modelDir('mlm'), { backend: BACKEND })) as unknown as ModelLike;
    loaded.push(model);
    const calls: { shape: readonly number[]; positions: number[]; logits?: readonly number[] }[] = [];
    const spy: ModelLike = {
      config: model.config,
      dispose: () => {},
      async forward(inputs, options) {
        const out = await model.forward(inputs, options);
        calls.push({
          shape: inputs.shape,
          positions: Array.from(options?.positions ?? []),
          logits: out.logits?.shape,
        });
        return out;
      },
    };
    const fill = asFunction(
      createTaskPipeline('fill-mask', spy, await fixtureTokenizer('mlm'), { batchSize: 2 }) as Parameters<
        typeof asFunction
      >[0],
      'mlm',
    ) as unknown as AnyCall;
    const texts = [
      exp.case('batch2_uneven').texts![0][0],
      exp.case('mask_two').texts![0][0],
      exp.case('mask_single').texts![0][0],
    ];
    // Token lengths 3, 11, 9: batches [11, 9] then [3]; positions are b·seq + s of each mask.
    await fill(texts);
    expect(calls).toEqual([
      { shape: [2, 11], positions: [2, 7, 11 + 6], logits: [3, 30522] },
      { shape: [1, 3], positions: [1], logits: [1, 30522] },
    ]);
  });

  it('text-classification: sst2 single texts and mnli pairs match the reference probs, in input order', async () => {
    for (const [name, pair] of [
      ['sst2', false],
      ['mnli', true],
    ] as const) {
      const exp = await expected(name);
      const classify = await make('text-classification', name, 'DistilBertForSequenceClassification', 3);
      const rows = exp.cases.flatMap((c) =>
        c.texts && c.max_length === 512 && c.seq_len < 512 ? c.texts.map((t, b) => ({ t, c, b })) : [],
      );
      const inputs = rows.map(({ t }) => (pair ? { text: t[0], text_pair: t[1] } : t[0]));
      const out = (await classify(inputs, { top_k: null })) as { label: string; score: number }[][];
      const n = name === 'sst2' ? 2 : 3;
      rows.forEach(({ c, b }, i) => {
        const probs = exp.tensor(c.id, 'probs').subarray(b * n, (b + 1) * n);
        const config = exp.config as { label2id: Record<string, number> };
        for (const r of out[i]) expect(r.score).toBeCloseTo(probs[config.label2id[r.label]], 5);
      });
      expect(rows.length).toBeGreaterThan(5);
    }
  });

  it('token-classification: entities equal those from the reference logits', async () => {
    const exp = await expected('ner');
    const ner = await make('token-classification', 'ner', 'DistilBertForTokenClassification');
    const ids = ['people_place', 'org_loc', 'multi_piece_names', 'accents'];
    const texts = ids.map((id) => exp.case(id).texts![0][0]);
    for (const strategy of ['none', 'first'] as const) {
      const out = (await ner(texts, { aggregation_strategy: strategy })) as Record<string, unknown>[][];
      ids.forEach((id, i) => {
        const c = exp.case(id);
        const enc = fixtureEncoding(c.texts![0], c.tokens[0], c.input_ids[0]);
        const want = tokenClassificationPostprocess(
          texts[i],
          enc,
          exp.tensor(id, 'logits'),
          exp.config,
          100,
          {
            aggregation_strategy: strategy,
          },
        ) as unknown as Record<string, unknown>[];
        expect(out[i].map(({ score, ...rest }) => rest)).toEqual(want.map(({ score, ...rest }) => rest));
        out[i].forEach((e, j) => {
          expect(e.score).toBeCloseTo(want[j].score as number, 5);
        });
      });
    }
  });

  it('question-answering: answers equal those from the reference start/end logits', async () => {
    const exp = await expected('squad');
    const qa = await make('question-answering', 'squad', 'DistilBertForQuestionAnswering');
    const ids = ['simple', 'when', 'numbers', 'unicode'];
    const inputs = ids.map((id) => ({
      question: exp.case(id).texts![0][0],
      context: exp.case(id).texts![0][1],
    }));
    const out = (await qa(inputs, { top_k: 2 })) as {
      score: number;
      start: number;
      end: number;
      answer: string;
    }[][];
    ids.forEach((id, i) => {
      const c = exp.case(id);
      const encoding = fixtureEncoding(c.texts![0], c.tokens[0], c.input_ids[0]);
      const want = questionAnsweringPostprocess(
        [{ encoding, startLogits: exp.tensor(id, 'start_logits'), endLogits: exp.tensor(id, 'end_logits') }],
        inputs[i].context,
        101,
        { top_k: 2 },
      ) as (typeof out)[number];
      expect(out[i].map(({ score, ...r }) => r)).toEqual(want.map(({ score, ...r }) => r));
      out[i].forEach((a, j) => {
        expect(a.score).toBeCloseTo(want[j].score, 6);
      });
    });
    // One example with top_k 1 is an object, as in Python.
    expect(Object.keys((await qa(inputs[0])) as object)).toEqual(['score', 'start', 'end', 'answer']);
  });

  it('zero-shot: one label is scored entailment vs contradiction from the reference probs', async () => {
    const exp = await expected('mnli');
    const zs = await make('zero-shot-classification', 'mnli', 'DistilBertForSequenceClassification');
    const [premise, hypothesis] = exp.case('entail').texts![0];
    const probs = exp.tensor('entail', 'probs');
    const out = await zs(premise, [hypothesis], { hypothesis_template: '{}' });
    expect(out).toEqual({
      sequence: premise,
      labels: [hypothesis],
      scores: [expect.closeTo(probs[0] / (probs[0] + probs[2]), 5)],
    });
    await expect(zs(premise, [])).rejects.toThrow(/at least one label/);
  });

  it('feature-extraction: last_hidden_state per input (unpadded), mean pooling and normalisation', async () => {
    const exp = await expected('mlm');
    const fe = await make('feature-extraction', 'mlm', 'DistilBertModel');
    const c = exp.case('batch3_padded');
    const hidden = exp.tensor('batch3_padded', 'last_hidden_state');
    const texts = c.texts!.map((t) => t[0]);
    const out = (await fe(texts)) as { dims: number[]; data: Float32Array; tolist(): number[][][] }[];
    out.forEach((t, b) => {
      const len = c.attention_mask[b].reduce((a, x) => a + x, 0);
      expect(t.dims).toEqual([1, len, 32]);
      const ref = hidden.subarray(b * c.seq_len * 32, (b * c.seq_len + len) * 32);
      let diff = 0;
      for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(ref[i] - t.data[i]));
      expect(diff).toBeLessThan(1e-5);
      expect(t.tolist()[0][len - 1][31]).toBe(t.data[len * 32 - 1]);
    });
    const pooled = (await fe(texts[0], { pooling: 'mean', normalize: true })) as {
      dims: number[];
      data: Float32Array;
    };
    expect(pooled.dims).toEqual([1, 32]);
    const len0 = c.attention_mask[0].reduce((a, x) => a + x, 0);
    const mean = Array.from({ length: 32 }, (_, d) => {
      let s = 0;
      for (let t = 0; t < len0; t++) s += hidden[t * 32 + d];
      return s / len0;
    });
    const norm = Math.hypot(...mean);
    mean.forEach((m, d) => {
      expect(pooled.data[d]).toBeCloseTo(m / norm, 5);
    });
  });

  it('bad input: no [MASK], longer than the model allows', async () => {
    const exp = await expected('mlm');
    const fill = await make('fill-mask', 'mlm', 'DistilBertForMaskedLM');
    await expect(fill(exp.case('batch3_padded').texts![0][0])).rejects.toThrow(
      /No mask_token \(\[MASK\]\) found on the input/,
    );
    const base = await fixtureTokenizer('mlm');
    const long: TokenizerLike = {
      ...base,
      encode: () => {
        const ids = [101, ...Array(600).fill(1037), 103, 102];
        const enc = fixtureEncoding(['a [MASK]'], ['[CLS]', 'a', '[MASK]', '[SEP]'], [101, 1037, 103, 102]);
        return { ...enc, input_ids: ids, attention_mask: ids.map(() => 1) };
      },
    };
    const fillLong = await make('fill-mask', 'mlm', 'DistilBertForMaskedLM', 2, long);
    await expect(fillLong('long [MASK]')).rejects.toThrow(
      /603 tokens, more than this model's maximum of 512/,
    );
  });
});
