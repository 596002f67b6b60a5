import { loadModel } from '@distilbert/core';
import { caseInputs, readFixture } from '@distilbert/core/testing';
import { describe, expect, it } from 'vitest';
import { createGpuBackend } from '../src/index.js';
import { maxAbsDiff, openGpu } from './setup.js';

const FIXTURES = new URL('../../../fixtures/models/', import.meta.url).pathname;

// f16 tiles in the matrix products (storage and accumulation stay f32): a measured, looser tolerance.
export const F16_ATOL = 2e-2;

describe('f16 option', () => {
  it(`stays within ${F16_ATOL} of PyTorch on the tiny models (when the adapter has shader-f16)`, async (ctx) => {
    const probe = await openGpu();
    if (!probe) return ctx.skip('no WebGPU adapter');
    probe.dispose();
    const gpu = await createGpuBackend({ f16: true });
    expect(gpu.f16).toBe(gpu.device.features.has('shader-f16'));
    if (!gpu.f16) {
      gpu.dispose();
      return ctx.skip('adapter lacks shader-f16: the option falls back to f32');
    }
    let worst = 0;
    for (const name of ['tiny-distilbert-mlm', 'tiny-distilbert-sst2', 'tiny-distilbert-squad']) {
      const fx = readFixture(FIXTURES, name);
      const expected = await fx.expected();
      const model = await loadModel(fx.dir, { backend: gpu });
      for (const c of fx.cases) {
        const out = await model.forward(caseInputs(c), { positions: fx.head === 'mlm' ? [0] : undefined });
        const d = maxAbsDiff(
          await out.last_hidden_state.data(),
          expected.float32(c.tensors.last_hidden_state.name),
        );
        worst = Math.max(worst, d);
        out.dispose();
      }
      model.dispose();
    }
    console.log(`f16 tiles: max |diff| on last_hidden_state ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(F16_ATOL);
    // and it really is a different computation (f16 rounding shows), not silently f32
    expect(worst).toBeGreaterThan(1e-5);
    gpu.dispose();
  }, 120_000);
});
