import { DisposedTensorError, engine, keep, loadModel, scope, type Tensor } from '@distilbert/core';
import { caseInputs, createReferenceBackend, maxAbsDiff, readFixture } from '@distilbert/core/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';

const sst2 = readFixture(FIXTURES, 'tiny-distilbert-sst2');
const ner = readFixture(FIXTURES, 'tiny-distilbert-ner');
const backendMemory = (b: { memory(): { numDataIds: number; numBytes: number } }) => {
  const m = b.memory();
  return { numDataIds: m.numDataIds, numBytes: m.numBytes };
};

describe('disposal', () => {
  it('returns engine and backend memory to the baseline after output.dispose() and model.dispose()', async () => {
    const backend = createReferenceBackend();
    const engineBefore = engine.memory();
    const model = await loadModel(sst2.dir, { backend });
    expect(engine.memory().numTensors).toBeGreaterThan(engineBefore.numTensors);
    const out = await model.forward(caseInputs(sst2.cases[0]), {
      output_hidden_states: true,
      output_attentions: true,
    });
    out.dispose();
    model.dispose();
    model.dispose(); // twice is harmless
    expect(engine.memory()).toEqual(engineBefore);
    expect(backendMemory(backend)).toEqual({ numDataIds: 0, numBytes: 0 });
    await expect(model.forward(caseInputs(sst2.cases[0]))).rejects.toThrow(DisposedTensorError);
    backend.dispose();
  });

  it('disposing one model leaves another on the same backend working', async () => {
    const backend = createReferenceBackend();
    const a = await loadModel(sst2.dir, { backend });
    const b = await loadModel(ner.dir, { backend });
    a.dispose();
    const c = ner.cases[0];
    const out = await b.forward(caseInputs(c));
    const want = (await ner.expected()).float32(c.tensors.logits.name);
    expect(maxAbsDiff((await out.logits!.data()) as Float32Array, want)).toBeLessThan(1e-5);
    out.dispose();
    b.dispose();
    expect(backendMemory(backend)).toEqual({ numDataIds: 0, numBytes: 0 });
    backend.dispose();
  });

  it('gives hidden_states and last_hidden_state separate lifetimes', async () => {
    const backend = createReferenceBackend();
    const model = await loadModel(sst2.dir, { backend });
    const out = await model.forward(caseInputs(sst2.cases[0]), { output_hidden_states: true });
    const last = Array.from(await out.last_hidden_state.data());
    out.last_hidden_state.dispose();
    expect(Array.from(await out.hidden_states![2].data())).toEqual(last);
    out.dispose();
    model.dispose();
    backend.dispose();
  });
});

describe('tidy and scope', () => {
  it('a model loaded inside scope() outlives it; forward outputs are freed with it unless kept', async () => {
    const backend = createReferenceBackend();
    const before = engine.memory();
    let kept: Tensor | undefined;
    let freed: Tensor | undefined;
    const model = await scope(async () => {
      const m = await loadModel(sst2.dir, { backend });
      const out = await m.forward(caseInputs(sst2.cases[0]));
      kept = keep(out.logits!);
      freed = out.last_hidden_state;
      return m;
    });
    expect(freed!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    const want = (await sst2.expected()).float32(sst2.cases[0].tensors.logits.name);
    expect(maxAbsDiff((await kept!.data()) as Float32Array, want)).toBeLessThan(1e-5);
    // The weights survived the scope: the model still runs.
    const again = await model.forward(caseInputs(sst2.cases[0]));
    again.dispose();
    kept!.dispose();
    model.dispose();
    expect(engine.memory()).toEqual(before);
    backend.dispose();
  });

  it('frees every intermediate of a forward (only the returned tensors stay live)', async () => {
    const backend = createReferenceBackend();
    const model = await loadModel(sst2.dir, { backend });
    const before = engine.memory().numTensors;
    const out = await model.forward(caseInputs(sst2.cases[0]));
    // last_hidden_state and logits.
    expect(engine.memory().numTensors - before).toBe(2);
    out.dispose();
    expect(engine.memory().numTensors).toBe(before);
    model.dispose();
    backend.dispose();
  });
});
