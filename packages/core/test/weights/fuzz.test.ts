import { CheckpointError } from '@distilbert/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ITEM_SIZE, parseSafetensors, serializeSafetensors } from '../../src/weights/index.js';

const DTYPES = ['F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'x', ''];

/** Runs the parser; the only acceptable outcomes are a checkpoint whose tensors all read, or a CheckpointError. */
function parseOrReject(bytes: Uint8Array): 'ok' | 'rejected' {
  try {
    const ckpt = parseSafetensors(bytes);
    for (const name of ckpt.names()) {
      const { dtype, shape } = ckpt.info(name);
      const n = shape.reduce((a, b) => a * b, 1);
      if (ckpt.bytes(name).byteLength !== n * ITEM_SIZE[dtype]) {
        throw new Error(`tensor ${name} has the wrong byte length`);
      }
      if (dtype === 'I16') ckpt.int32(name);
      else ckpt.float32(name);
    }
    return 'ok';
  } catch (err) {
    if (err instanceof CheckpointError) return 'rejected';
    throw err;
  }
}

function withHeader(header: string, data: Uint8Array, lengthDelta = 0): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigInt64(0, BigInt(json.length + lengthDelta), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const entry = fc.record(
  {
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.oneof(fc.nat(6), fc.integer({ min: -2, max: 2 ** 33 }), fc.double()), {
      maxLength: 4,
    }),
    data_offsets: fc.oneof(
      fc.tuple(fc.nat(80), fc.nat(80)),
      fc.array(fc.oneof(fc.nat(100), fc.double(), fc.string()), { maxLength: 3 }),
    ),
  },
  { requiredKeys: [] },
);
const header = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 6 }), fc.constant('__metadata__'), fc.constant('__proto__')),
  fc.oneof(entry, fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.nat())), fc.jsonValue({ maxDepth: 2 })),
  { maxKeys: 5 },
);

describe('safetensors header fuzzing', () => {
  it('random structured headers: a valid checkpoint or a CheckpointError', () => {
    const outcomes = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(
        header,
        fc.uint8Array({ maxLength: 96 }),
        fc.integer({ min: -3, max: 3 }),
        (h, data, delta) => {
          outcomes[parseOrReject(withHeader(JSON.stringify(h), data, delta))]++;
        },
      ),
      { numRuns: 3000, seed: 5 },
    );
    expect(outcomes.ok).toBeGreaterThan(50); // the generator also reaches the success path
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });

  it('random byte mutations of a valid file', () => {
    const valid = serializeSafetensors(
      {
        w: { shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
        ids: { shape: [2], data: new BigInt64Array([1n, -2n]) },
        h: { dtype: 'F16', shape: [3], data: new Uint8Array(6) },
      },
      { format: 'pt' },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }),
        fc.nat(valid.length),
        (edits, cut) => {
          const bytes = valid.slice(0, Math.max(cut, valid.length - 8));
          for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
          parseOrReject(bytes);
        },
      ),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        parseOrReject(bytes);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});
