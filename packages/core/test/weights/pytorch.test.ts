import { readFileSync } from 'node:fs';
import { CheckpointError } from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import { openPytorchBin, openSafetensors, parsePytorchBin } from '../../src/weights/index.js';
import { StoredZip } from '../../src/weights/zip.js';
import { bytesOf, concat, fixture, op, type PickledTensor, statePickle, storedZip } from './helpers.js';

const view = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const BIN = fixture('tiny-distilbert-mlm/pytorch_model.bin');

/** The fixture's zip members, with data.pkl replaced. */
function withPickle(pickle: Uint8Array): Uint8Array {
  const zip = new StoredZip(readFileSync(BIN), 'fixture');
  return storedZip(
    [...zip.entries.values()].map((e) => ({
      name: e.name,
      data: e.name.endsWith('data.pkl') ? pickle : zip.data(e),
    })),
  );
}

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  let caught: unknown;
  try {
    parsePytorchBin(bytes, 'evil.bin');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CheckpointError);
  expect((caught as Error).message).toMatch(pattern);
}

/** A checkpoint with one F32 storage '0' holding 0..n-1 and the given tensors on it. */
function oneStorage(n: number, tensors: PickledTensor[]): Uint8Array {
  return storedZip([
    { name: 'archive/data.pkl', data: statePickle(tensors) },
    { name: 'archive/data/0', data: bytesOf(Float32Array.from({ length: n }, (_, i) => i)) },
    { name: 'archive/version', data: new TextEncoder().encode('3\n') },
  ]);
}

describe('pytorch_model.bin', () => {
  it('has exactly the values of model.safetensors (plus the tied vocab_projector.weight)', async () => {
    const bin = await openPytorchBin(BIN);
    const st = await openSafetensors(fixture('tiny-distilbert-mlm/model.safetensors'));
    expect(bin.format).toBe('pytorch');
    expect(bin.names().sort()).toEqual([...st.names(), 'vocab_projector.weight'].sort());
    for (const name of st.names()) {
      expect(bin.info(name)).toEqual(st.info(name));
      // Bit-exact (compared with Buffer#equals: vitest's deep equality is far too slow for 1M elements).
      expect(view(bin.float32(name)).equals(view(st.float32(name)))).toBe(true);
    }
    // Tied weights share one storage: the same bytes of the file, not a copy.
    const tied = bin.bytes('vocab_projector.weight');
    const emb = bin.bytes('distilbert.embeddings.word_embeddings.weight');
    expect(tied.buffer).toBe(emb.buffer);
    expect(tied.byteOffset).toBe(emb.byteOffset);
    expect(bin.float32('vocab_projector.weight').buffer.byteLength).toBe(4168556); // a view of the file
  });

  it('honours storage offsets and accepts any stride on size-1 dimensions', () => {
    const ckpt = parsePytorchBin(
      oneStorage(10, [
        { name: 'a', storage: '0', numel: 10, offset: 2, size: [2, 3], stride: [3, 1] },
        { name: 'b', storage: '0', numel: 10, offset: 9, size: [1, 1], stride: [7, 5] },
        { name: 'c', storage: '0', numel: 10, offset: 0, size: [], stride: [] },
      ]),
    );
    expect([...ckpt.float32('a')]).toEqual([2, 3, 4, 5, 6, 7]);
    expect(ckpt.info('a')).toEqual({ dtype: 'F32', shape: [2, 3] });
    expect([...ckpt.float32('b')]).toEqual([9]);
    expect([...ckpt.float32('c')]).toEqual([0]);
  });

  it('refuses non-contiguous tensors and tensors past their storage', () => {
    const t = { name: 'w', storage: '0', numel: 6 };
    rejects(
      oneStorage(6, [{ ...t, offset: 0, size: [2, 3], stride: [1, 2] }]),
      /non-contiguous tensor .*contiguous\(\)/,
    );
    rejects(oneStorage(6, [{ ...t, offset: 1, size: [2, 3], stride: [3, 1] }]), /holds only 6/);
    rejects(oneStorage(6, [{ ...t, offset: 0, size: [2, 3], stride: [3] }]), /bad stride/);
  });

  it('refuses a storage member that is missing and a storage class it does not know', () => {
    const missing = storedZip([
      {
        name: 'm/data.pkl',
        data: statePickle([{ name: 'w', storage: '7', numel: 1, offset: 0, size: [1], stride: [1] }]),
      },
    ]);
    rejects(missing, /no member 'm\/data\/7'/);
    rejects(
      oneStorage(4, [
        {
          name: 'w',
          storage: '0',
          storageClass: 'ComplexFloatStorage',
          numel: 1,
          offset: 0,
          size: [1],
          stride: [1],
        },
      ]),
      /global 'torch\.ComplexFloatStorage'/,
    );
  });

  it('reads storages of other dtypes (Half, Long) through the same path', () => {
    const half = new Uint16Array([0x3c00, 0xc000, 0x0001]); // 1, -2, 2^-24
    const ckpt = parsePytorchBin(
      storedZip([
        {
          name: 'x/data.pkl',
          data: statePickle([
            {
              name: 'h',
              storage: 'a',
              storageClass: 'HalfStorage',
              numel: 3,
              offset: 0,
              size: [3],
              stride: [1],
            },
            {
              name: 'l',
              storage: 'b',
              storageClass: 'LongStorage',
              numel: 2,
              offset: 0,
              size: [2],
              stride: [1],
            },
          ]),
        },
        { name: 'x/data/a', data: bytesOf(half) },
        { name: 'x/data/b', data: bytesOf(new BigInt64Array([5n, -6n])) },
      ]),
    );
    expect([...ckpt.float32('h')]).toEqual([1, -2, 2 ** -24]);
    expect([...ckpt.int32('l')]).toEqual([5, -6]);
  });
});

describe('restricted unpickler', () => {
  const call = (module: string, name: string) =>
    new Uint8Array([
      ...op.proto(2),
      ...op.global(module, name),
      ...op.str('id'),
      ...op.tuple1,
      ...op.reduce,
      ...op.stop,
    ]);

  for (const [module, name] of [
    ['os', 'system'],
    ['posix', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['subprocess', 'Popen'],
    ['torch', 'load'],
    ['collections', 'defaultdict'],
  ]) {
    it(`refuses ${module}.${name} by name without calling anything`, () => {
      rejects(
        withPickle(call(module, name)),
        new RegExp(`global '${module}\\.${name}'.*nothing was executed`),
      );
    });
  }

  it('refuses a forbidden global injected into a real checkpoint', () => {
    const pkl = new StoredZip(readFileSync(BIN), 'fixture');
    const data = pkl.data([...pkl.entries.values()].find((e) => e.name.endsWith('data.pkl'))!);
    const text = new TextDecoder('latin1').decode(data);
    const at = text.lastIndexOf('\x62.'); // BUILD, STOP: call os.system('id') just before the end
    const evil = concat([
      data.subarray(0, at),
      new Uint8Array([
        ...op.global('os', 'system'),
        ...op.str('echo pwned'),
        ...op.tuple1,
        ...op.reduce,
        0x30,
      ]),
      data.subarray(at),
    ]);
    rejects(withPickle(evil), /global 'os\.system'/);
  });

  it('refuses STACK_GLOBAL (protocol 4) and INST forms too', () => {
    const stackGlobal = new Uint8Array([
      ...op.proto(4),
      0x8c,
      8,
      ...new TextEncoder().encode('builtins'),
      0x8c,
      4,
      ...new TextEncoder().encode('eval'),
      0x93,
      ...op.str('1'),
      ...op.tuple1,
      ...op.reduce,
      ...op.stop,
    ]);
    rejects(withPickle(stackGlobal), /global 'builtins\.eval'/);
    const inst = new Uint8Array([...op.mark, 0x69, ...new TextEncoder().encode('os\nsystem\n'), ...op.stop]);
    rejects(withPickle(inst), /global 'os\.system'/);
  });

  it('refuses BUILD on anything but a dict, unknown opcodes, and truncated pickles', () => {
    const build = new Uint8Array([...op.proto(2), ...op.str('x'), ...op.emptyDict, ...op.build, ...op.stop]);
    rejects(withPickle(build), /BUILD is only allowed/);
    rejects(withPickle(new Uint8Array([...op.proto(2), 0x82, 1, ...op.stop])), /opcode 0x82 .* not allowed/);
    rejects(withPickle(new Uint8Array([...op.proto(2), 0x58, 0xff, 0xff, 0xff, 0x7f])), /truncated/);
    rejects(withPickle(new Uint8Array([...op.proto(2), ...op.str('x'), ...op.stop])), /not a state_dict/);
  });
});

describe('damaged and legacy files', () => {
  it('legacy (non-zip) torch files get advice to re-save or convert', () => {
    const legacy = new Uint8Array([
      0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
    ]);
    rejects(legacy, /legacy .*Re-save it with a newer torch.*safetensors/);
    rejects(new TextEncoder().encode('hello'), /not a PyTorch checkpoint/);
  });

  it('every truncation of the real file is a CheckpointError', () => {
    const real = readFileSync(BIN);
    for (const cut of [
      4,
      100,
      6800,
      real.length >> 1,
      real.length - 100,
      real.length - 23,
      real.length - 1,
    ]) {
      expect(() => parsePytorchBin(real.subarray(0, cut))).toThrow(CheckpointError);
    }
  });

  it('a zip without data.pkl, and compressed members, are explained', () => {
    rejects(storedZip([{ name: 'a.txt', data: new Uint8Array(3) }]), /no data\.pkl/);
    const zip = withPickle(statePickle([]));
    // Mark the pickle's central-directory entry as deflated (method 8).
    const cd = new DataView(zip.buffer).getUint32(zip.length - 6, true);
    new DataView(zip.buffer).setUint16(cd + 10, 8, true);
    rejects(zip, /compressed \(method 8\)/);
  });
});
