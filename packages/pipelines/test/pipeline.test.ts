// pipeline() with the real tokenizer and model loader on the fixture folders: every task's full output
// structure, agreement with the PyTorch-reference outputs, truncation and bad input.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@distilbert/core/testing';
import { loadModel } from '@distilbert/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FALLBACK_MODEL_DIR, pipeline } from '../src/pipeline.js';
import { questionAnsweringPostprocess } from '../src/postprocess/questionAnswering.js';
import type { EncodingLike } from '../src/types.js';
import { expected, modelDir } from './helpers/fixtures.js';
import { hfCacheDir, isCached } from './helpers/hfCache.js';

// The reference backend from @distilbert/core/testing and the default 'cpu' backend.
const BACKENDS = (process.env.PIPELINES_TEST_BACKEND ?? 'reference,cpu').split(',');
const disposers: (() => void)[] = [];
afterAll(() => {
  for (const d of disposers) d();
});
const num = expect.any(Number);
const str = expect.any(String);

describe.each(BACKENDS)('pipeline() on the fixture checkpoints (%s backend, real tokenizer)', (BACKEND) => {
  async function open<T extends Parameters<typeof pipeline>[0]>(task: T, name: string, options = {}) {
    const p = await pipeline(task, modelDir(name), { backend: BACKEND, ...options });
    disposers.push(p.dispose);
    return p;
  }

  it('fill-mask: tokens as the reference encoded them, scores = reference softmax, full structure', async () => {
    const exp = await expected('mlm');
    const fill = await open('fill-mask', 'mlm');
    const c = exp.case('mask_single');
    const enc = fill.tokenizer.encode(c.texts![0][0]);
    expect(Array.from(enc.input_ids)).toEqual(c.input_ids[0]);
    const out = (await fill(c.texts![0][0])) as {
      score: number;
      token: number;
      token_str: string;
      sequence: string;
    }[];
    expect(out).toEqual(Array(5).fill({ score: num, token: num, token_str: str, sequence: str }));
    const s = c.tokens[0].indexOf('[MASK]');
    const topv = exp.tensor('mask_single', 'logits_topk_values');
    const lse = exp.tensor('mask_single', 'logits_logsumexp')[s];
    out.forEach((p, r) => {
      expect(p.score).toBeCloseTo(Math.exp(topv[s * 5 + r] - lse), 5);
      expect(p.sequence).toBe(
        fill.tokenizer.decode(
          Array.from(enc.input_ids).map((id, i) => (i === s ? p.token : id)),
          { skipSpecialTokens: true },
        ),
      );
    });
    const card = (await fill(c.texts![0][0], { top_k: 1, keepSpecialTokens: true })) as {
      sequence: string;
    }[];
    expect(card[0].sequence).toMatch(/^\[CLS\] the capital of france is .*\. \[SEP\]$/);
    // Two masks: a list per mask; a list of texts: a list per text.
    const two = (await fill(exp.case('mask_two').texts![0][0], { top_k: 2 })) as unknown[][];
    expect(two).toHaveLength(2);
    expect(two[1]).toEqual(
      Array(2).fill({ score: num, token: num, token_str: str, sequence: expect.stringContaining('[MASK]') }),
    );
    const many = (await fill(['a [MASK] b.', 'the [MASK].', 'x'.repeat(3) + ' [MASK]'])) as unknown[][];
    expect(many.map((r) => r.length)).toEqual([5, 5, 5]);
  });

  it('text-classification: single text (wrapped in a list, as Python), pairs, top_k, full structure', async () => {
    const sst2 = await expected('sst2');
    const clf = await open('text-classification', 'sst2');
    const c = sst2.case('pos');
    const probs = sst2.tensor('pos', 'probs');
    const out = await clf(c.texts![0][0]);
    expect(out).toEqual([
      { label: probs[1] > probs[0] ? 'POSITIVE' : 'NEGATIVE', score: expect.closeTo(Math.max(...probs), 5) },
    ]);
    expect(await clf(c.texts![0][0], { top_k: null })).toEqual([
      { label: str, score: num },
      { label: str, score: num },
    ]);
    expect(await clf([c.texts![0][0], 'good'])).toEqual([
      { label: str, score: num },
      { label: str, score: num },
    ]);

    const mnli = await expected('mnli');
    const nli = await open('sentiment-analysis', 'mnli');
    const pair = mnli.case('entail').texts![0];
    const pp = mnli.tensor('entail', 'probs');
    const res = (await nli({ text: pair[0], text_pair: pair[1] }, { top_k: 3 })) as {
      label: string;
      score: number;
    }[];
    for (const r of res)
      expect(r.score).toBeCloseTo(pp[['entailment', 'neutral', 'contradiction'].indexOf(r.label)], 5);
  });

  it('too long: an error where Python errors, the reference output with truncation: true', async () => {
    const sst2 = await expected('sst2');
    const clf = await open('text-classification', 'sst2');
    const text = sst2.case('len512').texts![0][0];
    await expect(clf(text)).rejects.toThrow(/more than this model's maximum of 512.*truncation: true/);
    const probs = sst2.tensor('len512', 'probs');
    const out = (await clf(text, { truncation: true, top_k: null })) as { label: string; score: number }[];
    for (const r of out) expect(r.score).toBeCloseTo(probs[r.label === 'POSITIVE' ? 1 : 0], 5);
  });

  it('token-classification: truncates long text with a warning (Python truncates), entities from the reference logits', async () => {
    const ner = await expected('ner');
    const warnings: string[] = [];
    const tc = await open('ner', 'ner', { warn: (m: string) => warnings.push(m) });
    const c = ner.case('len512');
    const out = (await tc(c.texts![0][0], { ignore_labels: [] })) as { entity: string; index: number }[];
    expect(warnings[0]).toMatch(/truncated to 512/);
    expect(out).toHaveLength(510); // every real token, specials dropped
    const logits = ner.tensor('len512', 'logits');
    const labels = Object.values((ner.config as { id2label: Record<string, string> }).id2label);
    for (const e of out) {
      const row = Array.from(logits.subarray(e.index * 9, e.index * 9 + 9));
      expect(e.entity).toBe(labels[row.indexOf(Math.max(...row))]);
    }
    const grouped = await tc('Angela Merkel met Emmanuel Macron in Paris on Tuesday.', {
      aggregation_strategy: 'simple',
      ignore_labels: [],
    });
    expect((grouped as object[])[0]).toEqual({
      entity_group: str,
      score: num,
      word: str,
      start: num,
      end: num,
    });
  });

  it('question-answering: long contexts in doc_stride windows, answers as from one window at a time', async () => {
    const squad = await expected('squad');
    const qa = await open('question-answering', 'squad', { batchSize: 3 });
    const c = squad.case('len384_truncated');
    const [question, context] = c.texts![0];
    const tok = qa.tokenizer;
    const first = tok.encode(question, context, {
      truncation: 'only_second',
      maxLength: 384,
      stride: 128,
      returnOverflowingTokens: true,
    });
    const windows = [first, ...(first.overflowing ?? [])] as EncodingLike[];
    expect(windows.length).toBeGreaterThan(2);
    expect(Array.from(windows[0].input_ids)).toEqual(c.input_ids[0]); // window 0 = Python's truncated input
    // Reference: each window through the model alone (no padding), then the same post-processing.
    const model = await loadModel(modelDir('squad'), { backend: BACKEND });
    const spans = [];
    for (const w of windows) {
      const ids = Int32Array.from(w.input_ids);
      const o = await model.forward({ input_ids: ids, shape: [1, ids.length] });
      spans.push({
        encoding: w,
        startLogits: await o.start_logits!.data(),
        endLogits: await o.end_logits!.data(),
      });
      o.dispose();
    }
    model.dispose();
    const startRef = squad.tensor('len384_truncated', 'start_logits');
    let diff = 0;
    for (let i = 0; i < 384; i++) diff = Math.max(diff, Math.abs(spans[0].startLogits[i] - startRef[i]));
    expect(diff).toBeLessThan(1e-5);
    const want = questionAnsweringPostprocess(spans, context, 101, { top_k: 3 });
    const got = await qa({ question, context }, { top_k: 3 });
    expect(got).toEqual(
      (want as { score: number }[]).map((a) => ({ ...a, score: expect.closeTo(a.score, 6) })),
    );
    const one = await qa(
      { question, context: 'The neighbors shared soup.' },
      { handle_impossible_answer: true },
    );
    expect(one).toEqual({ score: num, start: num, end: num, answer: expect.any(String) });
    await expect(qa({ question: '', context })).rejects.toThrow('`question` cannot be empty');
  });

  it('zero-shot-classification: agrees with the NLI logits of the same pairs, single- and multi-label', async () => {
    const zs = await open('zero-shot-classification', 'mnli');
    const nli = await open('text-classification', 'mnli');
    const text = 'The match ended two to one after extra time.';
    const labels = ['sports', 'politics', 'cooking'];
    const logits: Record<string, number>[] = [];
    for (const l of labels) {
      const r = (await nli(
        { text, text_pair: `This example is ${l}.` },
        { top_k: null, function_to_apply: 'none' },
      )) as { label: string; score: number }[];
      logits.push(Object.fromEntries(r.map((x) => [x.label, x.score])));
    }
    const single = (await zs(text, labels)) as { sequence: string; labels: string[]; scores: number[] };
    const e = logits.map((l) => Math.exp(l.entailment));
    const z = e.reduce((a, b) => a + b, 0);
    expect(single.sequence).toBe(text);
    single.labels.forEach((l, i) => {
      expect(single.scores[i]).toBeCloseTo(e[labels.indexOf(l)] / z, 5);
    });
    const multi = (await zs(text, 'sports, politics, cooking', { multi_label: true })) as typeof single;
    multi.labels.forEach((l, i) => {
      const x = logits[labels.indexOf(l)];
      expect(multi.scores[i]).toBeCloseTo(
        Math.exp(x.entailment) / (Math.exp(x.entailment) + Math.exp(x.contradiction)),
        5,
      );
    });
    await expect(zs(text, [])).rejects.toThrow(
      'You must include at least one label and at least one sequence.',
    );
    await expect(zs(text, labels, { hypothesis_template: 'no slot' })).rejects.toThrow(
      /not able to be formatted/,
    );
  });

  it('feature-extraction: the reference last_hidden_state, tolist() nested as Python', async () => {
    const exp = await expected('mlm');
    const fe = await open('feature-extraction', 'mlm');
    const c = exp.case('short');
    const t = (await fe(c.texts![0][0])) as unknown as {
      dims: number[];
      data: Float32Array;
      tolist(): number[][][];
    };
    expect(t.dims).toEqual([1, c.seq_len, 32]);
    const ref = exp.tensor('short', 'last_hidden_state');
    t.data.forEach((x, i) => {
      expect(Math.abs(x - ref[i])).toBeLessThan(1e-5);
    });
    expect(t.tolist()).toHaveLength(1);
    expect(t.tolist()[0]).toHaveLength(c.seq_len);
  });

  it('bad input: unknown task, a backend that is not installed, a classifier without id2label, no [MASK]', async () => {
    await expect(pipeline('summarization' as 'fill-mask', modelDir('mlm'))).rejects.toThrow(
      /Unknown task 'summarization'. Available tasks: fill-mask/,
    );
    await expect(
      pipeline('fill-mask', modelDir('mlm'), { backend: '@distilbert/backend-nope' }),
    ).rejects.toThrow(/needs the package @distilbert\/backend-nope.*Install it/);
    const dir = mkdtempSync(join(tmpdir(), 'no-labels-'));
    cpSync(modelDir('sst2'), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    delete config.id2label;
    delete config.label2id;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    await expect(pipeline('text-classification', dir, { backend: BACKEND })).rejects.toThrow(
      /has no id2label.*Add "id2label"/,
    );
    const fill = await open('fill-mask', 'mlm');
    await expect(fill('Nothing to fill here.')).rejects.toThrow('No mask_token ([MASK]) found on the input');
    await expect(fill('a [MASK]', { targets: [] })).rejects.toThrow('At least one target must be provided');
  });

  it('fill-mask with no model falls back loudly to the shipped checkpoint when the Hub has nothing', async () => {
    const banners: string[] = [];
    const empty = mkdtempSync(join(tmpdir(), 'empty-hf-cache-'));
    const fill = await pipeline('fill-mask', undefined, {
      backend: BACKEND,
      offline: true,
      cacheDir: empty,
      onFallback: (b) => banners.push(b),
    });
    disposers.push(fill.dispose);
    expect(fill.usedFallback).toBe(true);
    expect(fill.modelId).toBe(FALLBACK_MODEL_DIR);
    expect(banners.join('')).toMatch(
      /RANDOM-WEIGHT test model[\s\S]*MEANINGLESS[\s\S]*huggingface\.co\/distilbert-base-uncased/,
    );
    // The shipped copy is the fixture checkpoint: the same reference scores.
    const exp = await expected('mlm');
    const out = (await fill(exp.case('mask_single').texts![0][0])) as { score: number }[];
    const s = exp.case('mask_single').tokens[0].indexOf('[MASK]');
    expect(out[0].score).toBeCloseTo(
      Math.exp(
        exp.tensor('mask_single', 'logits_topk_values')[s * 5] -
          exp.tensor('mask_single', 'logits_logsumexp')[s],
      ),
      5,
    );
    // An explicit model never falls back.
    await expect(
      pipeline('fill-mask', 'distilbert-base-uncased', { backend: BACKEND, offline: true, cacheDir: empty }),
    ).rejects.toThrow(/not in the cache/);
  });
});

const cached = isCached('distilbert-base-uncased');
describe('the model card (real distilbert-base-uncased weights)', () => {
  it.skipIf(!cached)(
    `fill-mask "Hello I'm a [MASK] model." gives role 0.0529, fashion 0.0397, business 0.0347, model 0.0346, modeling 0.0181${cached ? '' : ` — SKIPPED: distilbert-base-uncased is not in the Hugging Face cache (${hfCacheDir()}); download it once (e.g. distilbert fill-mask "a [MASK]." with network access) to run this check`}`,
    async () => {
      const fill = await pipeline('fill-mask', 'distilbert-base-uncased', {
        offline: true,
        backend: process.env.PIPELINES_TEST_BACKEND ?? 'cpu',
      });
      disposers.push(fill.dispose);
      const out = (await fill("Hello I'm a [MASK] model.")) as { score: number; token_str: string }[];
      expect(out.map((p) => p.token_str)).toEqual(['role', 'fashion', 'business', 'model', 'modeling']);
      expect(out.map((p) => Number(p.score.toFixed(4)))).toEqual([0.0529, 0.0397, 0.0347, 0.0346, 0.0181]);
    },
  );
});
