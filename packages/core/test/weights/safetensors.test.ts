import { readFileSync } from 'node:fs';
import { CheckpointError } from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import { openSafetensors, parseSafetensors, serializeSafetensors } from '../../src/weights/index.js';
import { bytesOf, expectedKeys, fixture, TINY_MODELS } from './helpers.js';

// Independent float32 → half / bfloat16 rounding (round to nearest, ties to even), used to check
// the stored F16/BF16 fixtures and to decode them by value rather than by bit tricks.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}
function toHalfBits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const a = Math.abs(f32[0]);
  if (Number.isNaN(a)) return sign | 0x7e00;
  if (a < 2 ** -14) return sign | roundHalfEven(a / 2 ** -24); // subnormal (1024 rounds up into the normal range)
  let e = ((bits >>> 23) & 0xff) - 127;
  let q = roundHalfEven(a / 2 ** (e - 10));
  if (q === 2048) {
    q = 1024;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | (q - 1024);
}
function toBf16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  return (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
}
function halfValue(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}

describe('safetensors fixtures', () => {
  for (const model of TINY_MODELS) {
    it(`${model}: names and shapes are the README's state-dict keys`, async () => {
      const config = JSON.parse(readFileSync(fixture(`${model}/config.json`), 'utf8'));
      const ckpt = await openSafetensors(fixture(`${model}/model.safetensors`));
      const want = expectedKeys(config);
      expect(ckpt.format).toBe('safetensors');
      expect(ckpt.metadata).toEqual({ format: 'pt' });
      expect(ckpt.names().sort()).toEqual([...want.keys()].sort());
      for (const [name, shape] of want) {
        expect(ckpt.info(name)).toEqual({ dtype: 'F32', shape });
        expect(ckpt.float32(name).length).toBe(shape.reduce((a, b) => a * b, 1));
      }
      ckpt.close();
    });
  }

  it('F32 tensors are zero-copy views of the one file buffer', async () => {
    const ckpt = await openSafetensors(fixture('tiny-distilbert-mlm/model.safetensors'));
    const a = ckpt.float32('distilbert.embeddings.word_embeddings.weight');
    const b = ckpt.float32('vocab_projector.bias');
    expect(a.buffer).toBe(b.buffer);
    expect(a.buffer.byteLength).toBe(4158112); // the file size: nothing but the file is held
    // LayerNorm weights are drawn from U(0.9, 1.1) (README), a check that bytes are decoded in place.
    for (const v of ckpt.float32('distilbert.embeddings.LayerNorm.weight')) {
      expect(v).toBeGreaterThanOrEqual(0.9);
      expect(v).toBeLessThanOrEqual(1.1);
    }
  });

  it('fp16 and bf16 copies are the float32 weights rounded to nearest even, decoded exactly', async () => {
    const full = await openSafetensors(fixture('tiny-distilbert-mlm/model.safetensors'));
    for (const [file, dtype, round] of [
      ['model.fp16.safetensors', 'F16', toHalfBits],
      ['model.bf16.safetensors', 'BF16', toBf16Bits],
    ] as const) {
      const half = await openSafetensors(fixture(`tiny-distilbert-mlm/${file}`));
      expect(half.names().sort()).toEqual(full.names().sort());
      let checked = 0;
      for (const name of full.names()) {
        expect(half.info(name)).toEqual({ dtype, shape: full.info(name).shape });
        const ref = full.float32(name);
        const stored = new Uint16Array(half.bytes(name).slice().buffer);
        const decoded = half.float32(name);
        for (let i = 0; i < ref.length; i++) {
          if (stored[i] !== round(ref[i]))
            throw new Error(`${file} ${name}[${i}]: ${stored[i]} != ${round(ref[i])}`);
          const value =
            dtype === 'F16'
              ? halfValue(stored[i])
              : new Float32Array(new Uint32Array([stored[i] << 16]).buffer)[0];
          if (decoded[i] !== value)
            throw new Error(`${file} ${name}[${i}] decoded ${decoded[i]}, want ${value}`);
          checked++;
        }
      }
      const config = JSON.parse(readFileSync(fixture('tiny-distilbert-mlm/config.json'), 'utf8'));
      const total = [...expectedKeys(config).values()].reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
      expect(checked).toBe(total); // every weight of the mlm model
    }
  });

  it('decodes every one of the 65536 half values exactly (subnormals, ±0, ±inf, NaN)', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const ckpt = parseSafetensors(
      serializeSafetensors({ h: { dtype: 'F16', shape: [65536], data: bytesOf(all) } }),
    );
    const got = ckpt.float32('h');
    for (let h = 0; h < 65536; h++) {
      const want = halfValue(h);
      if (Number.isNaN(want)) expect(Number.isNaN(got[h])).toBe(true);
      else if (!Object.is(got[h], want)) throw new Error(`half 0x${h.toString(16)}: ${got[h]} != ${want}`);
    }
    expect(got[1]).toBe(2 ** -24); // smallest subnormal
    expect(got[0x8000]).toBe(-0);
    expect(got[0x7c00]).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads BF16 special values, F64 rounded to float32, and unaligned F32 by copying', () => {
    const bf = new Uint16Array([0x7f80, 0xff80, 0x7fc0, 0x0001, 0x8000, 0x3f80]);
    const f64 = new Float64Array([1 + 2 ** -24, 1 + 3 * 2 ** -24, 1e300, -0]);
    const bytes = serializeSafetensors({
      bf: { dtype: 'BF16', shape: [6], data: bytesOf(bf) },
      d: { shape: [4], data: f64 },
    });
    const ckpt = parseSafetensors(bytes);
    const b = ckpt.float32('bf');
    expect([b[0], b[1], b[4], b[5]]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1]);
    expect(Number.isNaN(b[2])).toBe(true);
    expect(b[3]).toBe(2 ** -133); // bf16 subnormal
    expect([...ckpt.float32('d')]).toEqual([1, 1 + 2 ** -22, Number.POSITIVE_INFINITY, -0]); // ties to even
    // The same file shifted by one byte: views are impossible, values must still be right.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const c = parseSafetensors(shifted);
    expect([...c.float32('d')]).toEqual([1, 1 + 2 ** -22, Number.POSITIVE_INFINITY, -0]);
  });

  it('round-trips through serializeSafetensors with Python’s layout', () => {
    const w = new Float32Array([1.5, -2, 3.25, 0]);
    const bytes = serializeSafetensors(
      { b: { shape: [2], data: new Int32Array([7, -8]) }, a: { shape: [2, 2], data: w } },
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const ckpt = parseSafetensors(bytes, 'rt.safetensors');
    expect(ckpt.names()).toEqual(['a', 'b']);
    expect([...ckpt.float32('a')]).toEqual([...w]);
    expect([...ckpt.int32('b')]).toEqual([7, -8]);
    expect(ckpt.metadata).toEqual({ format: 'pt' });
  });
});

describe('expected.safetensors', () => {
  it('reads I64 inputs and F32 outputs, matching expected.json', async () => {
    const json = JSON.parse(readFileSync(fixture('tiny-distilbert-mlm/expected.json'), 'utf8'));
    const ckpt = await openSafetensors(fixture('tiny-distilbert-mlm/expected.safetensors'));
    for (const c of json.cases) {
      const ids = c.tensors.input_ids;
      expect(ckpt.info(ids.name)).toEqual({ dtype: 'I64', shape: ids.shape });
      expect([...ckpt.int32(ids.name)]).toEqual(c.input_ids.flat());
      expect([...ckpt.bigint64(c.tensors.attention_mask.name)]).toEqual(c.attention_mask.flat().map(BigInt));
      const h = c.tensors.last_hidden_state;
      expect(ckpt.info(h.name)).toEqual({ dtype: 'F32', shape: h.shape });
      expect(ckpt.float32(h.name).length).toBe(h.shape.reduce((a: number, b: number) => a * b, 1));
    }
    expect(() => ckpt.int32(json.cases[0].tensors.last_hidden_state.name)).toThrow(/not an integer tensor/);
  });

  it('an unknown tensor name and a closed checkpoint are CheckpointErrors', async () => {
    const ckpt = await openSafetensors(fixture('tiny-distilbert-sst2/model.safetensors'));
    expect(() => ckpt.float32('nope')).toThrow(/no tensor 'nope'/);
    ckpt.close();
    expect(() => ckpt.names()).toThrow(CheckpointError);
  });

  it('a missing file is a CheckpointError that says so', async () => {
    await expect(openSafetensors(fixture('nope/model.safetensors'))).rejects.toThrow(/no such file/);
  });
});
