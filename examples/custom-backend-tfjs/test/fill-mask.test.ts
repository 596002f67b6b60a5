// The fill-mask pipeline on the tfjs backend gives the PyTorch reference's predictions for the fixture
// checkpoint: the same top-5 token ids at the [MASK], with scores softmax(logits) within 1e-5.
import { fileURLToPath } from 'node:url';
import { type FixtureCase, readFixture } from '@distilbert/core/testing';
import { openRepo } from '@distilbert/hub';
import { pipeline } from '@distilbert/pipelines';
import { describe, expect, it } from 'vitest';
import { main, type Prediction } from '../src/main.js';
import { createTfjsBackend } from '../src/TfjsBackend.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/models/', import.meta.url));
const MLM = `${FIXTURES}tiny-distilbert-mlm`;

// The real model when it is cached or the Hub answers (a missing DNS fails fast); skipped otherwise.
const realModel = await openRepo('distilbert-base-uncased').then(
  () => true,
  () => false,
);

describe('fill-mask on the tfjs backend', () => {
  it('predicts the reference top-5 for mask_single, with reference scores', async () => {
    const fixture = readFixture(FIXTURES, 'tiny-distilbert-mlm');
    // expected.json also records each case's text and tokens.
    const c = fixture.cases.find((k) => k.id === 'mask_single') as FixtureCase & {
      texts: string[][];
      tokens: string[][];
    };
    const expected = await fixture.expected();
    const s = c.tokens[0].indexOf('[MASK]');
    const topIds = Array.from(expected.int32('mask_single.logits_topk_indices')).slice(s * 5, s * 5 + 5);
    const topValues = expected.float32('mask_single.logits_topk_values').slice(s * 5, s * 5 + 5);
    const lse = expected.float32('mask_single.logits_logsumexp')[s];

    const backend = await createTfjsBackend({ tfBackend: 'cpu' });
    const unmasker = await pipeline('fill-mask', MLM, { backend });
    const got = (await unmasker(c.texts[0][0])) as Prediction[];
    expect(got.map((p) => p.token)).toEqual(topIds);
    for (const [r, p] of got.entries()) {
      expect(Math.abs(p.score - Math.exp(topValues[r] - lse))).toBeLessThan(1e-5);
    }
    expect(got[0].sequence).toBe(`the capital of france is ${got[0].token_str}.`);
    unmasker.dispose();
    // Everything the pipeline put on the backend is freed with it.
    expect(backend.memory()).toEqual({ numDataIds: 0, numBytes: 0 });
    backend.dispose();
  });

  it('main() prints the model card sentence completed by the model', async () => {
    const lines: string[] = [];
    const predictions = await main([MLM], (l) => lines.push(l));
    expect(predictions).toHaveLength(5);
    expect(lines[0]).toBe(`fill-mask on tfjs-cpu (${MLM}):`);
    // clean_up_tokenization_spaces is false in this tokenizer_config.json (as on the Hub today): "i ' m".
    expect(predictions[0].sequence).toBe(`hello i ' m a ${predictions[0].token_str} model.`);
    expect(lines[1]).toContain(predictions[0].sequence);
  });

  it.runIf(realModel)(
    'on wasm with distilbert-base-uncased, "role" and "fashion" are in the top 5 (model card)',
    async () => {
      const predictions = await main(['--wasm'], () => {});
      expect(predictions.map((p) => p.token_str)).toEqual(expect.arrayContaining(['role', 'fashion']));
    },
  );
});
