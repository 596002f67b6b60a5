import { readFileSync } from 'node:fs';
import { CheckpointError } from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseSafetensors, serializeSafetensors } from '../../src/weights/index.js';
import { fixture } from './helpers.js';

/** A safetensors file with this header text (or object) and data section; the length field can lie. */
function craft(header: unknown, data = new Uint8Array(16), declared?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function error(bytes: Uint8Array): CheckpointError {
  try {
    parseSafetensors(bytes, 'bad.safetensors');
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).message).toMatch(/^bad\.safetensors: /);
    return err as CheckpointError;
  }
  throw new Error('parsed without an error');
}

const t = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });

describe('malformed safetensors', () => {
  it('accepts the well-formed control file', () => {
    expect(parseSafetensors(craft({ a: t('F32', [2, 2], [0, 16]) })).float32('a').length).toBe(4);
  });

  it('header length larger than the file', () => {
    expect(error(craft({}, new Uint8Array(0), 1000n)).message).toMatch(
      /header length 1000 is larger than the rest/,
    );
  });

  it('absurd header length (no huge allocation)', () => {
    expect(error(craft({}, new Uint8Array(0), 2n ** 63n)).message).toMatch(/over the 100000000-byte limit/);
    expect(error(craft({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES + 1))).message).toMatch(/limit/);
  });

  it('files shorter than 8 bytes', () => {
    expect(error(new Uint8Array(0)).message).toMatch(/too short/);
    expect(error(new Uint8Array(7)).message).toMatch(/too short/);
  });

  it('offsets past the end of the data', () => {
    expect(error(craft({ a: t('F32', [8], [0, 32]) })).message).toMatch(/past its end \(16 bytes\)/);
  });

  it('overlapping tensors', () => {
    const m = error(craft({ a: t('F32', [2], [0, 8]), b: t('F32', [2], [4, 12]) })).message;
    expect(m).toMatch(/"a" \[0, 8\) and "b" \[4, 12\) overlap/);
  });

  it('unknown or wrong dtype name', () => {
    expect(error(craft({ a: t('F33', [4], [0, 16]) })).message).toMatch(/dtype "F33"; supported: F64/);
    expect(error(craft({ a: t('f32', [4], [0, 16]) })).message).toMatch(/dtype "f32"/);
    expect(error(craft({ a: { shape: [4], data_offsets: [0, 16] } })).message).toMatch(/dtype undefined/);
  });

  it('dtype × shape not equal to the byte length', () => {
    expect(error(craft({ a: t('F32', [3], [0, 16]) })).message).toMatch(
      /F32 \[3\] = 12 bytes, but its data_offsets span 16/,
    );
    expect(error(craft({ a: t('F16', [4], [0, 16]) })).message).toMatch(/= 8 bytes/);
  });

  it('bad shapes and offsets', () => {
    expect(error(craft({ a: t('F32', [-4], [0, 16]) })).message).toMatch(/shape \[-4\]/);
    expect(error(craft({ a: t('F32', [1.5], [0, 16]) })).message).toMatch(/shape/);
    expect(error(craft({ a: t('F32', '4', [0, 16]) })).message).toMatch(/shape/);
    expect(error(craft({ a: t('F32', [4], [16, 0]) })).message).toMatch(/begin after end/);
    expect(error(craft({ a: t('F32', [4], [0]) })).message).toMatch(/data_offsets/);
    expect(error(craft({ a: t('U8', [2 ** 40, 2 ** 40], [0, 16]) })).message).toMatch(/too large/);
    expect(error(craft({ a: 7 })).message).toMatch(/tensor "a" is not an object/);
  });

  it('invalid JSON, invalid UTF-8 and non-object headers', () => {
    expect(error(craft('{"a": ')).message).toMatch(/not valid JSON/);
    expect(error(craft('[1, 2]')).message).toMatch(/an array, not a JSON object/);
    expect(error(craft('42')).message).toMatch(/number, not a JSON object/);
    expect(error(craft('null')).message).toMatch(/not a JSON object/);
    const bad = craft('{"\u00e9": 1}');
    bad[10] = 0xff; // break the two-byte UTF-8 sequence
    expect(error(bad).message).toMatch(/not valid UTF-8/);
  });

  it('__metadata__ must be a string map', () => {
    expect(error(craft({ __metadata__: { format: 1 } })).message).toMatch(/__metadata__ key "format"/);
    expect(error(craft({ __metadata__: ['x'] })).message).toMatch(/__metadata__ is not an object/);
    expect(parseSafetensors(craft({ __metadata__: { format: 'pt' } })).metadata).toEqual({ format: 'pt' });
  });

  it('every truncation of a real checkpoint is a CheckpointError, never a crash', () => {
    const real = readFileSync(fixture('tiny-distilbert-stsb/model.safetensors'));
    const headerEnd = 8 + Number(real.readBigUInt64LE(0));
    const cuts = [0, 4, 8, 9, headerEnd - 1, headerEnd, headerEnd + 1, real.length - 4, real.length - 1];
    for (const cut of cuts) {
      expect(() => parseSafetensors(real.subarray(0, cut))).toThrow(CheckpointError);
    }
    expect(parseSafetensors(real).names().length).toBe(40); // 4 embedding + 2 × 16 layer + 4 head tensors
  });

  it('empty tensors and gaps are accepted; an empty file header is a checkpoint with no tensors', () => {
    const ckpt = parseSafetensors(craft({ e: t('F32', [0, 3], [4, 4]), a: t('F32', [1], [8, 12]) }));
    expect(ckpt.float32('e').length).toBe(0);
    expect(ckpt.info('e').shape).toEqual([0, 3]);
    expect(parseSafetensors(serializeSafetensors({})).names()).toEqual([]);
  });
});
