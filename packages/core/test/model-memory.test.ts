import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  type DataId,
  type DistilBertForMaskedLM,
  engine,
  type KernelBackend,
  loadModel,
  openSafetensors,
  type Tensor,
} from '@distilbert/core';
import { createReferenceBackend } from '@distilbert/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamedSafetensors } from '../src/weights/StreamedSafetensors.js';
import { fixtureDir } from './helpers/fixtures.js';

const backend = createReferenceBackend();
const dir = fixtureDir('tiny-distilbert-mlm');

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBytes = (a: Float32Array, b: Float32Array) => bytesOf(a).equals(bytesOf(b));

let mlm: DistilBertForMaskedLM;
beforeAll(async () => {
  mlm = (await loadModel(dir, { backend })) as DistilBertForMaskedLM;
});
afterAll(() => {
  mlm.dispose();
  backend.dispose();
});

describe('StreamedSafetensors (what loadModel reads single .safetensors files with)', () => {
  for (const file of ['model.safetensors', 'model.fp16.safetensors', 'model.bf16.safetensors']) {
    it(`reads ${file} exactly as openSafetensors does, one tensor at a time`, async () => {
      const whole = await openSafetensors(join(dir, file));
      const streamed = StreamedSafetensors.open(join(dir, file));
      expect(streamed).toBeDefined();
      if (!streamed) return;
      expect(streamed.names().sort()).toEqual(whole.names().sort());
      expect(streamed.metadata).toEqual(whole.metadata);
      for (const name of whole.names()) {
        expect(streamed.info(name)).toEqual(whole.info(name));
        expect(sameBytes(streamed.float32(name), whole.float32(name))).toBe(true);
      }
      streamed.close();
      whole.close();
      expect(() => streamed.names()).toThrow(CheckpointError);
    });
  }

  it('declines a truncated file, so loadModel reports it through the regular reader', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'streamed-'));
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    writeFileSync(join(folder, 'model.safetensors'), bytes.subarray(0, bytes.byteLength - 100));
    copyFileSync(join(dir, 'config.json'), join(folder, 'config.json'));
    try {
      expect(StreamedSafetensors.open(join(folder, 'model.safetensors'))).toBeUndefined();
      await expect(loadModel(folder, { backend })).rejects.toThrow(CheckpointError);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('declines other formats, leaving them to the regular readers', () => {
    expect(StreamedSafetensors.open(join(dir, 'pytorch_model.bin'))).toBeUndefined();
    expect(StreamedSafetensors.open(join(dir, 'no-such-file.safetensors'))).toBeUndefined();
  });
});

describe('loading into memory the backend hands out (KernelBackend.allocateForWrite)', () => {
  /** The reference backend plus an allocateForWrite that records the buffers it handed out. */
  function allocatingBackend() {
    const base = createReferenceBackend();
    const handedOut = new Set<DataId>();
    const withAllocate: KernelBackend = {
      ...base,
      allocateForWrite(shape, dtype) {
        const size = shape.reduce((a, b) => a * b, 1);
        const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
        const dataId = base.write(values, shape, dtype); // the reference backend keeps the array it is given
        handedOut.add(dataId);
        return { dataId, values };
      },
    };
    return { backend: withAllocate, handedOut };
  }

  for (const file of ['model.safetensors', 'model.fp16.safetensors', 'model.bf16.safetensors']) {
    it(`reads every weight of ${file} into allocated memory, equal to the write() path`, async () => {
      const { backend: allocating, handedOut } = allocatingBackend();
      const start = engine.memory();
      const viaWrite = await loadModel(dir, { backend, weights: file });
      const written = engine.memory();
      const viaAllocate = await loadModel(dir, { backend: allocating, weights: file });
      const allocated = engine.memory();
      try {
        const expected = viaWrite.namedWeights();
        const actual = viaAllocate.namedWeights();
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        expect(actual.size).toBeGreaterThan(30);
        for (const [name, t] of actual) {
          expect(handedOut.has(t.dataId), name).toBe(true);
          const want = await (expected.get(name) as Tensor).data();
          expect(sameBytes((await t.data()) as Float32Array, want as Float32Array), name).toBe(true);
        }
        // Counted like written tensors.
        expect(allocated.numBytes - written.numBytes).toBe(written.numBytes - start.numBytes);
        expect(allocated.numDataBuffers - written.numDataBuffers).toBe(
          written.numDataBuffers - start.numDataBuffers,
        );
      } finally {
        viaAllocate.dispose();
        viaWrite.dispose();
        allocating.dispose();
      }
      expect(engine.memory()).toEqual(start);
    });
  }
});

describe('forward frees activations layer by layer', () => {
  /** Kernel outputs made before the first kernel reading layer `layer`'s q_lin weight, and which are live then. */
  function liveAtLayerStart(layer: number) {
    const q = mlm.namedWeights().get(`distilbert.transformer.layer.${layer}.attention.q_lin.weight`);
    expect(q).toBeDefined();
    const made: Tensor[] = [];
    let live: Tensor[] | undefined;
    const stop = engine.observeKernels((call) => {
      const readsQ = Object.values(call.inputs).some((t) => t?.dataId === q?.dataId);
      if (readsQ && !live) live = made.filter((t) => !t.isDisposed);
      made.push(call.output);
    });
    return { stop, made, live: () => live };
  }

  it('holds only the embedding output and the previous layer output when a layer starts', async () => {
    const watch = liveAtLayerStart(1);
    const out = await mlm.forward({ input_ids: Int32Array.from([101, 7592, 2088, 102]), shape: [1, 4] });
    watch.stop();
    const live = watch.live();
    expect(live).toBeDefined();
    // One tidy around the whole graph would have every intermediate of layer 0 still live here.
    expect(watch.made.length).toBeGreaterThan(10);
    expect(live?.map((t) => t.shape)).toEqual([
      [1, 4, 32],
      [1, 4, 32],
    ]);
    out.dispose();
  });

  it('keeps hidden_states and attentions intact when they are asked for', async () => {
    const plain = await mlm.forward({ input_ids: Int32Array.from([101, 7592, 102]), shape: [1, 3] });
    const before = engine.memory().numTensors;
    const full = await mlm.forward(
      { input_ids: Int32Array.from([101, 7592, 102]), shape: [1, 3] },
      { output_hidden_states: true, output_attentions: true },
    );
    expect(full.hidden_states).toHaveLength(3);
    expect(full.attentions).toHaveLength(2);
    expect(await full.hidden_states?.[2].data()).toEqual(await plain.last_hidden_state.data());
    for (const t of [...(full.hidden_states ?? []), ...(full.attentions ?? [])])
      expect(t.isDisposed).toBe(false);
    full.dispose();
    expect(engine.memory().numTensors).toBe(before);
    plain.dispose();
  });
});
