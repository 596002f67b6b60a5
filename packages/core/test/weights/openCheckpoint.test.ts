import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '@distilbert/core';
import { openRepo } from '@distilbert/hub';
import { afterAll, describe, expect, it } from 'vitest';
import {
  detectFormat,
  findWeightFile,
  openCheckpoint,
  openRepoCheckpoint,
  openSafetensors,
  serializeSafetensors,
} from '../../src/weights/index.js';
import { fixture } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'distilbert-weights-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) copyFileSync(fixture(from), join(dir, to));
  return dir;
}

describe('openCheckpoint', () => {
  it('picks the reader by content, whatever the extension says', async () => {
    const dir = folder('swapped', {
      'weights.safetensors': 'tiny-distilbert-mlm/pytorch_model.bin',
      'weights.bin': 'tiny-distilbert-mlm/model.safetensors',
    });
    expect((await openCheckpoint(join(dir, 'weights.safetensors'))).format).toBe('pytorch');
    expect((await openCheckpoint(join(dir, 'weights.bin'))).format).toBe('safetensors');
    const mem = await openCheckpoint(readFileSync(fixture('tiny-distilbert-mlm/pytorch_model.bin')));
    expect(mem.format).toBe('pytorch');
    expect(mem.file).toBe('<memory>');
  });

  it('sniffs safetensors whose header length starts with byte 0x80 (like a pickle) correctly', () => {
    let header = 0;
    let bytes: Uint8Array = new Uint8Array(0);
    // Grow the name until the padded header length's low byte is 0x80.
    for (let n = 1; (header & 0xff) !== 0x80; n++) {
      bytes = serializeSafetensors({ ['x'.repeat(n)]: { shape: [1], data: new Float32Array([1]) } });
      header = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    }
    expect(bytes[0]).toBe(0x80);
    expect(detectFormat(bytes, 'model.bin')).toBe('safetensors');
    expect(detectFormat(new Uint8Array([0x80, 2, 0x8a, 0x0a, 0, 0, 0, 0, 0]), 'x.safetensors')).toBe(
      'pytorch',
    );
  });

  it('in a folder prefers model.safetensors over pytorch_model.bin', async () => {
    const both = folder('both', {
      'pytorch_model.bin': 'tiny-distilbert-mlm/pytorch_model.bin',
      'model.safetensors': 'tiny-distilbert-mlm/model.safetensors',
    });
    expect(await findWeightFile(both)).toBe(join(both, 'model.safetensors'));
    expect((await openCheckpoint(both)).format).toBe('safetensors');
    const binOnly = folder('bin-only', { 'pytorch_model.bin': 'tiny-distilbert-mlm/pytorch_model.bin' });
    expect((await openCheckpoint(binOnly)).format).toBe('pytorch');
    const empty = folder('empty', {});
    await expect(openCheckpoint(empty)).rejects.toThrow(
      /no weight file found; looked for model\.safetensors/,
    );
  });

  it('through @distilbert/hub repos, honouring an explicit weights file name', async () => {
    const dir = folder('repo', {
      'model.safetensors': 'tiny-distilbert-mlm/model.safetensors',
      'model.fp16.safetensors': 'tiny-distilbert-mlm/model.fp16.safetensors',
    });
    const repo = await openRepo(dir);
    expect((await openRepoCheckpoint(repo)).info('vocab_projector.bias').dtype).toBe('F32');
    expect(
      (await openRepoCheckpoint(repo, 'model.fp16.safetensors')).info('vocab_projector.bias').dtype,
    ).toBe('F16');
    await expect(openRepoCheckpoint(repo, 'nope.bin')).rejects.toThrow(/has no weight file 'nope\.bin'/);
  });

  it('reads a sharded checkpoint through its index, locally and through a repo', async () => {
    const whole = await openSafetensors(fixture('tiny-distilbert-sst2/model.safetensors'));
    const names = whole.names();
    const half = names.length >> 1;
    const shard = (part: string[]) =>
      serializeSafetensors(
        Object.fromEntries(part.map((n) => [n, { shape: whole.info(n).shape, data: whole.float32(n) }])),
        { format: 'pt' },
      );
    const dir = join(tmp, 'sharded');
    mkdirSync(dir);
    const files = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    writeFileSync(join(dir, files[0]), shard(names.slice(0, half)));
    writeFileSync(join(dir, files[1]), shard(names.slice(half)));
    const weightMap = Object.fromEntries(names.map((n, i) => [n, files[i < half ? 0 : 1]]));
    writeFileSync(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: {}, weight_map: weightMap }),
    );

    for (const ckpt of [await openCheckpoint(dir), await openRepoCheckpoint(await openRepo(dir))]) {
      expect(ckpt.names().sort()).toEqual([...names].sort());
      for (const n of names)
        expect([...ckpt.float32(n).subarray(0, 8)]).toEqual([...whole.float32(n).subarray(0, 8)]);
      ckpt.close();
      expect(() => ckpt.names()).toThrow(CheckpointError);
    }

    // An index naming a tensor its shard lacks, or a shard path leaving the folder, is refused.
    writeFileSync(join(dir, 'bad.index.json'), JSON.stringify({ weight_map: { ghost: files[0] } }));
    await expect(openCheckpoint(join(dir, 'bad.index.json'))).rejects.toThrow(
      /maps 'ghost' to .*no such tensor/,
    );
    writeFileSync(join(dir, 'escape.index.json'), JSON.stringify({ weight_map: { a: '../x.safetensors' } }));
    await expect(openCheckpoint(join(dir, 'escape.index.json'))).rejects.toThrow(/not a file name/);
  });

  it('holds the file once: F32 tensors are views of it, conversions allocate only their own tensor', async () => {
    // (Heap counters are unreliable under a concurrent GC, so this checks where the bytes live.)
    const path = join(tmp, 'mixed.safetensors');
    writeFileSync(
      path,
      serializeSafetensors({
        w: { shape: [256, 1024], data: new Float32Array(256 << 10) },
        h: { dtype: 'F16', shape: [512, 1024], data: new Uint8Array(1 << 20) },
      }),
    );
    const size = statSync(path).size;
    const ckpt = await openCheckpoint(path);
    expect(ckpt.float32('w').buffer.byteLength).toBe(size); // the single file buffer, not a copy
    expect(ckpt.bytes('h').buffer).toBe(ckpt.float32('w').buffer);
    expect(ckpt.float32('h').buffer.byteLength).toBe(512 * 1024 * 4); // exactly one converted tensor
  });
});
