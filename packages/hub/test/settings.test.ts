// Environment variables, with huggingface_hub's names and precedence; filename patterns.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { matchesAny } from '../src/fnmatch.js';
import { settings } from '../src/settings.js';
import { tempHome } from './fakeHub.js';

let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());

it('cache folder: option, then HF_HUB_CACHE, then $HF_HOME/hub', () => {
  expect(settings({}).cacheDir).toBe(join(home.dir, 'hub'));
  process.env.HF_HUB_CACHE = '/somewhere/hub';
  expect(settings({}).cacheDir).toBe('/somewhere/hub');
  expect(settings({ cacheDir: '/explicit' }).cacheDir).toBe('/explicit');
});

it('token: option, then HF_TOKEN, then HF_TOKEN_PATH file, then $HF_HOME/token', () => {
  expect(settings({}).token).toBeUndefined();
  writeFileSync(join(home.dir, 'token'), 'hf_from_home\n');
  expect(settings({}).token).toBe('hf_from_home');
  delete process.env.HF_TOKEN_PATH;
  expect(settings({}).token).toBe('hf_from_home');
  mkdirSync(join(home.dir, 'other'));
  writeFileSync(join(home.dir, 'other', 't'), 'hf_from_path');
  process.env.HF_TOKEN_PATH = join(home.dir, 'other', 't');
  expect(settings({}).token).toBe('hf_from_path');
  process.env.HF_TOKEN = 'hf_from_env';
  expect(settings({}).token).toBe('hf_from_env');
  expect(settings({ token: 'hf_opt' }).token).toBe('hf_opt');
});

it('endpoint and offline flags', () => {
  expect(settings({}).endpoint).toBe('https://huggingface.co');
  process.env.HF_ENDPOINT = 'https://hf-mirror.example/';
  expect(settings({}).endpoint).toBe('https://hf-mirror.example');
  expect(settings({}).offline).toBe(false);
  for (const v of ['1', 'true', 'YES', 'on']) {
    process.env.HF_HUB_OFFLINE = v;
    expect(settings({}).offline).toBe(true);
  }
  process.env.HF_HUB_OFFLINE = '0';
  expect(settings({}).offline).toBe(false);
  expect(settings({ offline: true }).offline).toBe(true);
});

it('allowPatterns follow fnmatch: * crosses "/", a trailing "/" means the whole folder', () => {
  expect(matchesAny('onnx/model.onnx', '*.onnx')).toBe(true);
  expect(matchesAny('onnx/model.onnx', 'onnx/')).toBe(true);
  expect(matchesAny('config.json', ['*.txt', 'config.js?n'])).toBe(true);
  expect(matchesAny('model.safetensors', ['*.json', '*.bin'])).toBe(false);
  expect(matchesAny('a.bin', '[!b].bin')).toBe(true);
  expect(matchesAny('b.bin', '[!b].bin')).toBe(false);
  expect(matchesAny('model.onnx', 'model+onnx')).toBe(false);
});
