import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@distilbert/core';
import { checkFixtureCase, readFixture } from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { GpuBackend } from '../src/index.js';
import { openGpu } from './setup.js';

// The distilbert-base-sized model (768/12/6/3072, 255 MiB of float32) against the stored PyTorch outputs at
// the README's full-size tolerance. Its weights are not committed: fixtures/tools/make_fullsize.py writes them
// (numpy, ~5 s) into a temp folder once.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(ROOT, 'fixtures/models');
const DIR = process.env.DISTILBERT_FULLSIZE_DIR ?? join(tmpdir(), 'distilbert-fullsize-mlm');
const FULLSIZE_ATOL = 5e-5;

function ensureWeights(): string | undefined {
  if (existsSync(join(DIR, 'model.safetensors'))) return undefined;
  try {
    mkdirSync(DIR, { recursive: true });
    execFileSync('python3', [join(ROOT, 'fixtures/tools/make_fullsize.py'), DIR], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `could not generate the full-size weights (python3 + numpy): ${(error as Error).message}`;
  }
}

let gpu: GpuBackend | undefined;
let missing: string | undefined;
beforeAll(async () => {
  missing = ensureWeights();
  gpu = await openGpu();
}, 300_000);
afterAll(() => gpu?.dispose());

describe('full-size model on the gpu backend', () => {
  const fixture = readFixture(FIXTURES, 'fullsize-distilbert-mlm');
  it(`matches PyTorch on every full-size case (atol ${FULLSIZE_ATOL})`, async (ctx) => {
    if (missing) return ctx.skip(missing);
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const model = await loadModel(DIR, { backend: gpu });
    const expected = await fixture.expected();
    try {
      for (const c of fixture.cases) await checkFixtureCase(model, fixture, c, expected, FULLSIZE_ATOL);
    } finally {
      model.dispose();
    }
  }, 300_000);
});
