import { engine, type KernelBackend, MissingKernelError, ops, scope, tidy } from '@distilbert/core';
import { describe, expect, it } from 'vitest';

// A backend with host arrays and only Add, enough to exercise the engine's bookkeeping.
function hostBackend(): KernelBackend & { live: Set<object> } {
  const store = new Map<object, Float32Array | Int32Array>();
  const live = new Set<object>();
  const write = (values: Float32Array | Int32Array) => {
    const id = {};
    store.set(id, values);
    live.add(id);
    return id;
  };
  return {
    name: 'host-test',
    live,
    kernels: {
      Add: ({ a, b }) => {
        const x = store.get(a.dataId)!;
        const y = store.get(b.dataId)!;
        const out = new Float32Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i] + y[i % y.length];
        return { dataId: write(out), shape: a.shape, dtype: 'float32' };
      },
    },
    write,
    read: async (id) => store.get(id)!.slice(),
    readSync: (id) => store.get(id)!.slice(),
    disposeData: (id) => {
      store.delete(id);
      live.delete(id);
    },
    memory: () => ({ numDataIds: store.size, numBytes: 0 }),
    dispose: () => store.clear(),
  };
}

describe('engine', () => {
  it('frees a buffer only when its last view is disposed', () => {
    const b = hostBackend();
    const t = engine.makeTensor(b, new Float32Array([1, 2, 3, 4]), [2, 2]);
    const v = ops.reshape(t, [4]);
    t.dispose();
    expect(b.live.size).toBe(1);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 4]);
    v.dispose();
    expect(b.live.size).toBe(0);
  });

  it('tidy keeps what it returns and frees the rest', () => {
    const b = hostBackend();
    const before = engine.memory().numTensors;
    const x = engine.makeTensor(b, new Float32Array([1, 2]), [2]);
    const y = tidy(() => ops.add(ops.add(x, x), x));
    expect(Array.from(y.dataSync())).toEqual([3, 6]);
    expect(engine.memory().numTensors).toBe(before + 2);
    x.dispose();
    y.dispose();
    expect(engine.memory().numTensors).toBe(before);
    expect(b.live.size).toBe(0);
  });

  it('scope frees tensors created across await', async () => {
    const b = hostBackend();
    const x = engine.makeTensor(b, new Float32Array([1]), [1]);
    const out = await scope(async () => {
      const a = ops.add(x, x);
      await new Promise((r) => setTimeout(r, 1));
      return ops.add(a, x);
    });
    expect(Array.from(await out.data())).toEqual([3]);
    expect(b.live.size).toBe(2);
    out.dispose();
    x.dispose();
    expect(b.live.size).toBe(0);
  });

  it('names the missing kernel and the backend', () => {
    const b = hostBackend();
    const x = engine.makeTensor(b, new Float32Array([1]), [1]);
    expect(() => ops.gelu(x)).toThrow(MissingKernelError);
    expect(() => ops.gelu(x)).toThrow(/Backend 'host-test' has no kernel 'Gelu'/);
    x.dispose();
  });
});

describe('tidy on error', () => {
  it('frees what the function made before a kernel threw', () => {
    const b = hostBackend();
    const x = engine.makeTensor(b, new Float32Array([1, 2]), [2]);
    const before = engine.memory();
    expect(() => tidy(() => ops.gelu(ops.add(x, x)))).toThrow(MissingKernelError);
    expect(engine.memory()).toEqual(before);
    expect(b.live.size).toBe(1);
    x.dispose();
  });
});
