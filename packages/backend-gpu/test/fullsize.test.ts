import { fileURLToPath } from 'node:url';
import { loadModel } from '@distilbert/core';
import {
  checkFixtureCase,
  ensureFullsizeModel,
  FullsizeModelUnavailableError,
  readFixture,
} from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { GpuBackend } from '../src/index.js';
import { openGpu } from './setup.js';

// The distilbert-base-sized model (768/12/6/3072, 255 MiB of float32) against the stored PyTorch outputs at
// the README's full-size tolerance. Its weights are not committed: ensureFullsizeModel generates them once.
const FIXTURES = fileURLToPath(new URL('../../../fixtures/models', import.meta.url));
const FULLSIZE_ATOL = 5e-5;

let dir = '';
let gpu: GpuBackend | undefined;
let missing: string | undefined;
beforeAll(async () => {
  try {
    dir = await ensureFullsizeModel();
  } catch (error) {
    if (!(error instanceof FullsizeModelUnavailableError)) throw error;
    missing = error.message;
  }
  gpu = await openGpu();
}, 300_000);
afterAll(() => gpu?.dispose());

describe('full-size model on the gpu backend', () => {
  const fixture = readFixture(FIXTURES, 'fullsize-distilbert-mlm');
  it(`matches PyTorch on every full-size case (atol ${FULLSIZE_ATOL})`, async (ctx) => {
    if (missing) return ctx.skip(missing);
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const model = await loadModel(dir, { backend: gpu });
    const expected = await fixture.expected();
    try {
      for (const c of fixture.cases) await checkFixtureCase(model, fixture, c, expected, FULLSIZE_ATOL);
    } finally {
      model.dispose();
    }
  }, 300_000);
});
