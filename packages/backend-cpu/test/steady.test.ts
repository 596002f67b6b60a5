// Repeated forwards (as a pipeline makes them) must not grow the WASM heap or leak buffers.
import { fileURLToPath } from 'node:url';
import { loadModel } from '@distilbert/core';
import { expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

const tiny = fileURLToPath(new URL('../../../fixtures/models/tiny-distilbert-mlm', import.meta.url));

it('300 forwards of varying shapes: heap size and buffer count stay flat', async () => {
  const backend = await createCpuBackend({ threads: 2 });
  const model = await loadModel(tiny, { backend });
  const heap = backend.heap as unknown as { memory: WebAssembly.Memory };
  const run = async (i: number) => {
    const [b, s] = [1 + (i % 3), 5 + ((i * 7) % 40)];
    const ids = Int32Array.from({ length: b * s }, (_, j) => 1000 + ((i + j) % 2000));
    const out = await model.forward({ input_ids: ids, shape: [b, s] }, { positions: [0, s - 1] });
    await out.logits!.data();
    out.dispose();
  };
  for (let i = 0; i < 20; i++) await run(i);
  const bytes = heap.memory.buffer.byteLength;
  const buffers = backend.memory().numDataIds;
  for (let i = 20; i < 300; i++) await run(i);
  expect(heap.memory.buffer.byteLength).toBe(bytes);
  expect(backend.memory().numDataIds).toBe(buffers);
  model.dispose();
  backend.dispose();
});
