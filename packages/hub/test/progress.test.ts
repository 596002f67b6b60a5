// The CLI progress bar renders the events resolve() emits.
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { cliProgress, formatBytes } from '../src/index.js';

it('draws one bar per file from onProgress events', () => {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d) => {
    out += d;
  });
  const bar = cliProgress({ stream, noTTYOutput: true });
  bar.onProgress({ file: 'model.safetensors', loaded: 0, total: 2_000_000 });
  bar.onProgress({ file: 'model.safetensors', loaded: 2_000_000, total: 2_000_000 });
  bar.onProgress({ file: 'vocab.txt', loaded: 231_508, total: 231_508 });
  bar.stop();
  expect(out).toContain('model.safetensors');
  expect(out).toContain('vocab.txt');
  expect(out).toMatch(/model\.safetensors \|[^|]*\| 100% 2\.0 MB\/2\.0 MB/);
  expect(out).toContain('231.5 kB/231.5 kB');
});

it('formats byte counts', () => {
  expect(formatBytes(999)).toBe('999 B');
  expect(formatBytes(267_967_963)).toBe('268.0 MB');
});
