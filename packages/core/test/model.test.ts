import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  DistilBertConfig,
  DistilBertForMaskedLM,
  DistilBertForQuestionAnswering,
  DistilBertForSequenceClassification,
  DistilBertForTokenClassification,
  DistilBertModel,
  engine,
  InputError,
  type KernelBackend,
  loadModel,
  type ModelOutput,
  openSafetensors,
} from '@distilbert/core';
import { caseInputs, createReferenceBackend, maxAbsDiff, readFixture } from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editCheckpoint, FIXTURES, fixtureDir } from './helpers/fixtures.js';

const backend = createReferenceBackend();
const mlmFixture = readFixture(FIXTURES, 'tiny-distilbert-mlm');
const configOf = (name: string) =>
  DistilBertConfig.fromText(readFileSync(join(fixtureDir(name), 'config.json'), 'utf8'));
const float = async (t: { data(): Promise<Float32Array | Int32Array> }) => (await t.data()) as Float32Array;

let mlm: DistilBertForMaskedLM;
beforeAll(async () => {
  mlm = (await loadModel(fixtureDir('tiny-distilbert-mlm'), { backend })) as DistilBertForMaskedLM;
});
afterAll(() => {
  mlm.dispose();
  backend.dispose();
});

describe('loadModel', () => {
  it.each([
    ['tiny-distilbert-mlm', DistilBertForMaskedLM],
    ['tiny-distilbert-sst2', DistilBertForSequenceClassification],
    ['tiny-distilbert-ner', DistilBertForTokenClassification],
    ['tiny-distilbert-squad', DistilBertForQuestionAnswering],
  ] as const)('builds %s as the class in config.architectures, with its head outputs', async (name, cls) => {
    const fx = readFixture(FIXTURES, name);
    const model = await loadModel(fx.dir, { backend });
    try {
      expect(model).toBeInstanceOf(cls);
      expect(model.config.architectures[0]).toBe(fx.architecture);
      const c = fx.cases.find((x) => x.batch > 1) ?? fx.cases[0];
      const expected = await fx.expected();
      const out = await model.forward(caseInputs(c), { positions: name.includes('mlm') ? [0] : undefined });
      expect(
        maxAbsDiff(await float(out.last_hidden_state), expected.float32(c.tensors.last_hidden_state.name)),
      ).toBeLessThan(1e-5);
      for (const key of ['logits', 'start_logits', 'end_logits'] as const) {
        if (key in c.tensors && !name.includes('mlm')) {
          expect(out[key]?.shape).toEqual(c.tensors[key].shape);
          expect(maxAbsDiff(await float(out[key]!), expected.float32(c.tensors[key].name))).toBeLessThan(
            1e-5,
          );
        }
      }
      out.dispose();
    } finally {
      model.dispose();
    }
  });

  it('loads any checkpoint as the bare encoder with `architecture`, noting the unused head keys', async () => {
    const warnings: string[] = [];
    const model = await loadModel(mlmFixture.dir, {
      backend,
      architecture: 'DistilBertModel',
      onWarning: (m) => warnings.push(m),
    });
    try {
      expect(model).toBeInstanceOf(DistilBertModel);
      expect([...model.unexpectedKeys].sort()).toEqual([
        'vocab_layer_norm.bias',
        'vocab_layer_norm.weight',
        'vocab_projector.bias',
        'vocab_transform.bias',
        'vocab_transform.weight',
      ]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /were not used when initializing DistilBertModel: \[.*vocab_transform.weight/,
      );
      const c = mlmFixture.cases[0];
      const out = await model.forward(caseInputs(c));
      const want = (await mlmFixture.expected()).float32(c.tensors.last_hidden_state.name);
      expect(maxAbsDiff(await float(out.last_hidden_state), want)).toBeLessThan(1e-5);
      expect(out.logits).toBeUndefined();
      out.dispose();
    } finally {
      model.dispose();
    }
  });

  it('exposes the weights by state-dict name, the projector tied to the word embeddings', () => {
    const w = mlm.namedWeights();
    expect(w.get('vocab_projector.weight')).toBe(w.get('distilbert.embeddings.word_embeddings.weight'));
    expect(w.get('distilbert.transformer.layer.1.ffn.lin1.weight')?.shape).toEqual([37, 32]);
    expect(w.get('vocab_projector.bias')?.shape).toEqual([30522]);
    // 4 embedding tensors + 16 per layer × 2 + 5 MLM head + the tied alias.
    expect(w.size).toBe(4 + 16 * 2 + 5 + 1);
  });

  it('lists every missing weight in one CheckpointError and frees what it loaded', async () => {
    const before = engine.memory();
    const err = await loadModel(mlmFixture.dir, {
      backend,
      architecture: 'DistilBertForSequenceClassification',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(
      /needs weights the checkpoint does not have: pre_classifier.weight, pre_classifier.bias, classifier.weight, classifier.bias/,
    );
    expect(engine.memory()).toEqual(before);
  });

  it('reads the fp16, bf16 and pytorch_model.bin weights by file name', async () => {
    const c = mlmFixture.cases.find((x) => x.id === 'mask_single')!;
    const expected = await mlmFixture.expected();
    for (const [weights, key] of [
      ['model.fp16.safetensors', 'fp16_weights.last_hidden_state'],
      ['model.bf16.safetensors', 'bf16_weights.last_hidden_state'],
      ['pytorch_model.bin', 'last_hidden_state'],
    ]) {
      const model = await loadModel(mlmFixture.dir, {
        backend,
        weights,
        architecture: 'DistilBertModel',
        onWarning: () => {},
      });
      const out = await model.forward(caseInputs(c));
      expect(
        maxAbsDiff(await float(out.last_hidden_state), expected.float32(c.tensors[key].name)),
        weights,
      ).toBeLessThan(1e-5);
      out.dispose();
      model.dispose();
    }
  });
});

describe('fromCheckpoint key layouts', () => {
  const config = configOf('tiny-distilbert-mlm');

  it('takes encoder keys without the distilbert. prefix for a head, and ignores position_ids', async () => {
    const ckpt = await openSafetensors(join(mlmFixture.dir, 'model.safetensors'));
    const bare = editCheckpoint(ckpt, (n) => n.replace(/^distilbert\./, ''), {
      'embeddings.position_ids': { values: new Float32Array(512).map((_, i) => i), shape: [1, 512] },
    });
    const model = DistilBertForMaskedLM.fromCheckpoint(config, bare, backend, {
      onWarning: () => expect.fail('no note expected'),
    });
    expect(model.unexpectedKeys).toEqual([]);
    const out = await model.forward(caseInputs(mlmFixture.cases[0]));
    const want = (await mlmFixture.expected()).float32(mlmFixture.cases[0].tensors.last_hidden_state.name);
    expect(maxAbsDiff(await float(out.last_hidden_state), want)).toBeLessThan(1e-5);
    out.dispose();
    model.dispose();
    ckpt.close();
  });

  it('rejects a weight whose shape does not fit the config', async () => {
    const ckpt = await openSafetensors(join(mlmFixture.dir, 'model.safetensors'));
    const before = engine.memory();
    const small = new DistilBertConfig({ ...config.extra, hidden_dim: 36 });
    expect(() => DistilBertModel.fromCheckpoint(small, ckpt, backend, { onWarning: () => {} })).toThrow(
      /size mismatch for transformer.layer.0.ffn.lin1.weight: the checkpoint has \[37, 32\], the config needs \[36, 32\]/,
    );
    expect(engine.memory()).toEqual(before);
    ckpt.close();
  });

  it('generates the sinusoidal table when sinusoidal_pos_embds is set and the checkpoint lacks it', async () => {
    const ckpt = await openSafetensors(join(mlmFixture.dir, 'model.safetensors'));
    const noPos = editCheckpoint(ckpt, (n) => (n.includes('position_embeddings') ? null : n));
    const sin = new DistilBertConfig({ ...config.extra, sinusoidal_pos_embds: true });
    const model = DistilBertModel.fromCheckpoint(sin, noPos, backend, { onWarning: () => {} });
    const table = await float(model.embeddings.positionEmbeddings);
    expect(table[32 + 0]).toBeCloseTo(Math.sin(1), 6);
    expect(table[32 + 1]).toBeCloseTo(Math.cos(1), 6);
    model.dispose();
    expect(() => DistilBertModel.fromCheckpoint(config, noPos, backend)).toThrow(
      /embeddings.position_embeddings.weight/,
    );
    ckpt.close();
  });
});

describe('forward', () => {
  const c = mlmFixture.cases.find((x) => x.id === 'batch3_padded')!;

  it('returns every hidden state and attention map, as output_hidden_states / output_attentions', async () => {
    const out = await mlm.forward(caseInputs(c), {
      output_hidden_states: true,
      output_attentions: true,
      positions: [0],
    });
    try {
      const [b, s] = [c.batch, c.seq_len];
      expect(out.hidden_states).toHaveLength(3);
      for (const h of out.hidden_states!) expect(h.shape).toEqual([b, s, 32]);
      expect(Array.from(await out.hidden_states![2].data())).toEqual(
        Array.from(await out.last_hidden_state.data()),
      );
      expect(out.attentions).toHaveLength(2);
      const att = await float(out.attentions![0]);
      expect(out.attentions![0].shape).toEqual([b, 4, s, s]);
      // Each query row sums to 1 and gives padded keys (row 0 has 5 real tokens) no weight.
      const row = att.subarray(0, s);
      expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
      expect(Array.from(row.subarray(5))).toEqual(new Array(s - 5).fill(0));
    } finally {
      out.dispose();
    }
  });

  it('projects only the requested MLM positions, equal to those rows of the full logits', async () => {
    const positions = [7, 22, 44];
    const full = await mlm.forward(caseInputs(c));
    const some = await mlm.forward(caseInputs(c), { positions });
    try {
      expect(full.logits!.shape).toEqual([3, 15, 30522]);
      expect(some.logits!.shape).toEqual([3, 30522]);
      const f = await float(full.logits!);
      const g = await float(some.logits!);
      positions.forEach((p, i) => {
        expect(
          maxAbsDiff(g.subarray(i * 30522, (i + 1) * 30522), f.subarray(p * 30522, (p + 1) * 30522)),
        ).toBe(0);
      });
      // The [MASK] row (1, 7) against the PyTorch reference.
      const rows = (await mlmFixture.expected()).float32(c.tensors.logits_rows.name);
      expect(maxAbsDiff(g.subarray(30522, 2 * 30522), rows)).toBeLessThan(1e-5);
    } finally {
      full.dispose();
      some.dispose();
    }
  });

  it('ignores token_type_ids and defaults attention_mask to all ones', async () => {
    const ids = new Int32Array([101, 7592, 103, 102]);
    const a = await mlm.forward({ input_ids: ids, shape: [1, 4] }, { positions: [2] });
    const b = await mlm.forward(
      {
        input_ids: ids,
        attention_mask: new Int32Array([1, 1, 1, 1]),
        token_type_ids: new Int32Array([0, 0, 1, 1]),
        shape: [1, 4],
      },
      { positions: [2] },
    );
    expect(Array.from(await a.logits!.data())).toEqual(Array.from(await b.logits!.data()));
    a.dispose();
    b.dispose();
  });

  it('refuses input longer than max_position_embeddings with an InputError', async () => {
    const ids = new Int32Array(513).fill(1000);
    await expect(mlm.forward({ input_ids: ids, shape: [1, 513] })).rejects.toThrow(InputError);
    await expect(mlm.forward({ input_ids: ids, shape: [1, 513] })).rejects.toThrow(
      /513 tokens but the model takes at most max_position_embeddings = 512/,
    );
  });

  it('refuses ids outside the vocabulary, bad shapes and bad positions', async () => {
    const run = (input_ids: number[], shape: [number, number], extra = {}) =>
      mlm.forward({ input_ids: Int32Array.from(input_ids), shape, ...extra });
    await expect(run([101, 30522], [1, 2])).rejects.toThrow(
      /input_ids\[1\] = 30522 is outside the vocabulary \[0, 30522\)/,
    );
    await expect(run([-1, 5], [1, 2])).rejects.toThrow(InputError);
    await expect(run([101, 102, 103], [1, 2])).rejects.toThrow(
      /input_ids has 3 values; shape \[1, 2\] needs 2/,
    );
    await expect(run([101, 102], [1, 2], { attention_mask: new Int32Array(3) })).rejects.toThrow(
      /attention_mask has 3/,
    );
    await expect(run([101, 102], [0, 2])).rejects.toThrow(/positive sizes/);
    await expect(
      mlm.forward({ input_ids: new Int32Array([101, 102]), shape: [1, 2] }, { positions: [2] }),
    ).rejects.toThrow(/positions\[0\] = 2 is not a flat position in \[0, 2\)/);
  });

  it('refuses positions on a model without an MLM head', async () => {
    const model = await loadModel(fixtureDir('tiny-distilbert-sst2'), { backend });
    await expect(
      model.forward({ input_ids: new Int32Array([101, 102]), shape: [1, 2] }, { positions: [0] }),
    ).rejects.toThrow(/positions is only for DistilBertForMaskedLM/);
    model.dispose();
  });

  it('delegates to backend.runModel when the backend has one, with checked inputs', async () => {
    const calls: unknown[] = [];
    const graph: KernelBackend = {
      ...createReferenceBackend({ name: 'graph' }),
      async runModel(model, inputs, options) {
        calls.push({ arch: model.architecture, inputs, options });
        return { last_hidden_state: undefined as never, dispose() {} } as ModelOutput;
      },
    };
    const model = await loadModel(fixtureDir('tiny-distilbert-sst2'), { backend: graph });
    await model.forward(
      { input_ids: new Int32Array([101, 102]), shape: [1, 2] },
      { output_attentions: true },
    );
    expect(calls).toEqual([
      {
        arch: 'DistilBertForSequenceClassification',
        inputs: {
          input_ids: new Int32Array([101, 102]),
          attention_mask: new Int32Array([1, 1]),
          shape: [1, 2],
        },
        options: { output_attentions: true },
      },
    ]);
    await expect(model.forward({ input_ids: new Int32Array([99999]), shape: [1, 1] })).rejects.toThrow(
      InputError,
    );
    model.dispose();
    graph.dispose();
  });
});
