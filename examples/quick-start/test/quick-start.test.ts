// The quick start runs the model card's lines: offline it falls back loudly to the shipped checkpoint,
// whose predictions must be the reference backend's; with the real model it gives the card's answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import '@distilbert/core/testing'; // registers the float64 'reference' backend
import { openRepo } from '@distilbert/hub';
import { FALLBACK_MODEL_DIR, type FillMaskResult, pipeline } from '@distilbert/pipelines';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const saved = { offline: process.env.HF_HUB_OFFLINE, cache: process.env.HF_HUB_CACHE };
afterEach(() => {
  for (const [k, v] of [
    ['HF_HUB_OFFLINE', saved.offline],
    ['HF_HUB_CACHE', saved.cache],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

// Cached or downloadable: the same check the Hub client makes before a load (fails fast without DNS).
const realModel = await openRepo('distilbert-base-uncased').then(
  () => true,
  () => false,
);

describe('quick-start', () => {
  it('without the Hub, warns loudly and predicts with the shipped checkpoint exactly as the reference backend', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'quick-start-cache-'));
    process.env.HF_HUB_OFFLINE = '1';
    process.env.HF_HUB_CACHE = cache; // empty: distilbert-base-uncased cannot come from a local copy
    const logs: string[] = [];
    const banners: string[] = [];
    try {
      const result = await main({ log: (l) => logs.push(l), warn: (b) => banners.push(b) });

      expect(banners).toHaveLength(1);
      expect(banners[0]).toMatch(/WARNING: could not get 'distilbert-base-uncased'/);
      expect(banners[0]).toContain('RANDOM-WEIGHT');
      expect(logs).toEqual([inspect(result, { depth: null })]);

      const reference = await pipeline('fill-mask', FALLBACK_MODEL_DIR, { backend: 'reference' });
      const want = (await reference("Hello I'm a [MASK] model.")) as FillMaskResult[];
      reference.dispose();
      expect(result.map((r) => r.token)).toEqual(want.map((r) => r.token));
      expect(result.map((r) => r.sequence)).toEqual(want.map((r) => r.sequence));
      for (const [i, r] of result.entries()) expect(Math.abs(r.score - want[i].score)).toBeLessThan(1e-5);
      expect(result[0].sequence).toBe(`hello i ' m a ${result[0].token_str} model.`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it.runIf(realModel)(
    'with distilbert-base-uncased, "role" and "fashion" are among the top 5 (model card)',
    async () => {
      const banners: string[] = [];
      const result = await main({ log: () => {}, warn: (b) => banners.push(b) });
      expect(banners).toEqual([]);
      expect(result.map((r) => r.token_str)).toEqual(expect.arrayContaining(['role', 'fashion']));
    },
  );
});
