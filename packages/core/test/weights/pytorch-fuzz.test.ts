import { CheckpointError } from '@distilbert/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePytorchBin } from '../../src/weights/index.js';
import { bytesOf, statePickle, storedZip } from './helpers.js';

const pickle = statePickle([
  { name: 'a', storage: '0', numel: 12, offset: 0, size: [3, 4], stride: [4, 1] },
  { name: 'b', storage: '0', numel: 12, offset: 4, size: [4], stride: [1] },
  { name: 'c', storage: '1', storageClass: 'HalfStorage', numel: 2, offset: 0, size: [2], stride: [1] },
]);
const storages = [
  { name: 'archive/data/0', data: bytesOf(new Float32Array(12)) },
  { name: 'archive/data/1', data: new Uint8Array(4) },
];
const zip = (pkl: Uint8Array) => storedZip([{ name: 'archive/data.pkl', data: pkl }, ...storages]);

/** The only acceptable outcomes: a checkpoint whose tensors all read, or a CheckpointError. */
function parseOrReject(bytes: Uint8Array): 'ok' | 'rejected' {
  try {
    const ckpt = parsePytorchBin(bytes);
    for (const n of ckpt.names()) ckpt.float32(n);
    return 'ok';
  } catch (err) {
    if (err instanceof CheckpointError) return 'rejected';
    throw err;
  }
}

const mutate = (base: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }).map((edits) => {
    const out = base.slice();
    for (const [at, v] of edits) out[at] = v;
    return out;
  });

describe('pytorch reader fuzzing', () => {
  it('the unmutated control parses', () => {
    expect(parseOrReject(zip(pickle))).toBe('ok');
  });

  it('mutated pickles: a checkpoint or a CheckpointError, never anything else', () => {
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(mutate(pickle), (pkl) => {
        seen[parseOrReject(zip(pkl))]++;
      }),
      { numRuns: 2000, seed: 3 },
    );
    expect(seen.rejected).toBeGreaterThan(100);
  });

  it('mutated and truncated zips', () => {
    const base = zip(pickle);
    fc.assert(
      fc.property(mutate(base), fc.nat(base.length), (bytes, cut) => {
        parseOrReject(bytes.subarray(0, Math.max(cut, base.length - 64)));
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});
