import { engine, getBackend, loadModel, registerBackendPlugin, removeBackend } from '@distilbert/core';
import { readFixture } from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuBackend } from '../src/index.js';
import { backend as plugin } from '../src/index.js';
import { maxAbsDiff, openGpu } from './setup.js';

const FIXTURES = new URL('../../../fixtures/models/', import.meta.url).pathname;
const MLM = `${FIXTURES}tiny-distilbert-mlm`;

let gpu: GpuBackend | undefined;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.dispose());

function inputsOf(name: string, caseId?: string) {
  const fx = readFixture(FIXTURES, name);
  const c = caseId ? fx.cases.find((x) => x.id === caseId)! : fx.cases[0];
  return {
    c,
    inputs: {
      input_ids: Int32Array.from(c.input_ids.flat()),
      attention_mask: Int32Array.from(c.attention_mask.flat()),
      shape: [c.batch, c.seq_len] as [number, number],
    },
  };
}

describe('gpu backend on the tiny models', () => {
  it('gives the reference backend’s numbers on every tiny model (batched, padded cases)', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    for (const name of [
      'tiny-distilbert-mlm',
      'tiny-distilbert-sst2',
      'tiny-distilbert-ner',
      'tiny-distilbert-squad',
    ]) {
      const fx = readFixture(FIXTURES, name);
      const ours = await loadModel(fx.dir, { backend: gpu });
      const ref = await loadModel(fx.dir, { backend: 'reference' });
      for (const c of fx.cases.slice(0, 4)) {
        const { inputs } = inputsOf(name, c.id);
        const a = await ours.forward(inputs, { positions: fx.head === 'mlm' ? [0, 1] : undefined });
        const b = await ref.forward(inputs, { positions: fx.head === 'mlm' ? [0, 1] : undefined });
        for (const key of ['last_hidden_state', 'logits', 'start_logits', 'end_logits'] as const) {
          if (!b[key]) continue;
          const d = maxAbsDiff(await a[key]!.data(), await b[key]!.data());
          expect(d, `${name} ${c.id} ${key}`).toBeLessThan(1e-5);
        }
        a.dispose();
        b.dispose();
      }
      ours.dispose();
      ref.dispose();
    }
  });

  it('submits one command buffer per forward pass and reads back only what is asked', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const model = await loadModel(MLM, { backend: gpu });
    const { inputs } = inputsOf('tiny-distilbert-mlm', 'batch3_padded');
    const warm = await model.forward(inputs, { positions: [1] });
    await warm.logits!.data();
    warm.dispose();
    const before = gpu.submits;
    const out = await model.forward(inputs, { positions: [1] });
    const logits = await out.logits!.data();
    expect(logits.length).toBe(30522);
    // one submission for the input upload's pending work (none) + one for the forward's commands and readback
    expect(gpu.submits - before).toBe(1);
    out.dispose();
    model.dispose();
  });

  it('no leaks: live buffers and bytes are constant across many forward passes', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const model = await loadModel(MLM, { backend: gpu });
    const { inputs } = inputsOf('tiny-distilbert-mlm', 'batch3_padded');
    const step = async () => {
      const out = await model.forward(inputs, { positions: [1, 5] });
      await out.logits!.data();
      out.dispose();
    };
    await step();
    const before = { gpu: gpu.memory(), engine: engine.memory() };
    const n = Number(process.env.GPU_LEAK_PASSES ?? 1000);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await step();
    const seconds = (performance.now() - t0) / 1000;
    const after = { gpu: gpu.memory(), engine: engine.memory() };
    console.log(`${n} forward passes in ${seconds.toFixed(1)} s; memory before`, before, 'after', after);
    expect(after).toEqual(before);
    model.dispose();
  }, 300_000);

  it('device loss: a clear BackendError on the next call, then the registry re-initialises', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    registerBackendPlugin(plugin);
    const first = (await getBackend('gpu')) as GpuBackend;
    const model = await loadModel(MLM, { backend: first });
    first.device.destroy();
    await first.device.lost;
    const { inputs } = inputsOf('tiny-distilbert-mlm');
    await expect(model.forward(inputs)).rejects.toThrow(/GPU device was lost.*removeBackend\('gpu'\)/);
    await removeBackend('gpu');
    const second = (await getBackend('gpu')) as GpuBackend;
    expect(second).not.toBe(first);
    const again = await loadModel(MLM, { backend: second });
    const out = await again.forward(inputs);
    expect((await out.last_hidden_state.data()).every(Number.isFinite)).toBe(true);
    out.dispose();
    again.dispose();
    await removeBackend('gpu');
  });
});
