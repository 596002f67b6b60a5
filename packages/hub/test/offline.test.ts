// Offline mode, network-down fallback, .no_exist markers, and a cache laid out by hand the way
// huggingface_hub (Python) writes it.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EntryNotFoundError,
  NetworkError,
  OfflineNotCachedError,
  openRepo,
  resolve,
  snapshot,
} from '../src/index.js';
import { commitOf, FakeHub, useFakeHub } from './fakeHub.js';

const C = commitOf('c');
const CONFIG = '{"dim": 32}';

const fake = useFakeHub((hub) => {
  hub.repos.set('org/m', {
    commits: { [C]: { 'config.json': CONFIG, 'vocab.txt': 'x' } },
    refs: { main: C },
  });
});

describe('offline', () => {
  it('resolves through refs/ with the offline option, with no request', async () => {
    await resolve('org/m', 'config.json', fake.opts());
    const before = fake.hub.requests.length;
    const repo = await openRepo('org/m', { ...fake.opts(), offline: true });
    expect(repo.commit).toBe(C);
    expect(readFileSync(await repo.path('config.json'), 'utf8')).toBe(CONFIG);
    expect(fake.hub.requests.length).toBe(before);
  });

  it('honours HF_HUB_OFFLINE=1', async () => {
    await resolve('org/m', 'config.json', fake.opts());
    process.env.HF_HUB_OFFLINE = '1';
    const before = fake.hub.requests.length;
    expect(readFileSync(await resolve('org/m', 'config.json', fake.opts()), 'utf8')).toBe(CONFIG);
    expect(fake.hub.requests.length).toBe(before);
  });

  it('says what is missing when offline and not cached', async () => {
    const noRef = await openRepo('org/m', { ...fake.opts(), offline: true }).catch((e) => e);
    expect(noRef).toBeInstanceOf(OfflineNotCachedError);
    expect(noRef.message).toContain("revision 'main'");
    await resolve('org/m', 'config.json', fake.opts());
    const repo = await openRepo('org/m', { ...fake.opts(), offline: true });
    await expect(repo.path('vocab.txt')).rejects.toMatchObject({ code: 'OFFLINE_NOT_CACHED' });
    expect(await repo.optionalPath('vocab.txt')).toBeNull();
    expect(fake.hub.requests.filter((r) => r.url.includes('vocab'))).toHaveLength(0);
  });
});

describe('network down', () => {
  it('falls back to the cached commit and files, as Python does', async () => {
    await resolve('org/m', 'config.json', fake.opts());
    const endpoint = fake.hub.url;
    await fake.hub.close(); // connection refused from now on
    const repo = await openRepo('org/m', { endpoint, cacheDir: fake.home.cacheDir });
    expect(repo.fromCache).toBe(true);
    expect(readFileSync(await repo.path('config.json'), 'utf8')).toBe(CONFIG);
    expect(await snapshot('org/m', { endpoint, cacheDir: fake.home.cacheDir })).toBe(repo.folder);
    // Not cached: a NetworkError that says so.
    const err = await repo.path('vocab.txt').catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toContain('not in the cache');
    fake.hub = await FakeHub.start(); // for afterEach
  });

  it('is a NetworkError when nothing is cached', async () => {
    const endpoint = fake.hub.url;
    await fake.hub.close();
    await expect(openRepo('org/m', { endpoint, cacheDir: fake.home.cacheDir })).rejects.toBeInstanceOf(
      NetworkError,
    );
    fake.hub = await FakeHub.start();
  });
});

describe('.no_exist markers', () => {
  it('writes one for a missing optional file and answers from it next time without a request', async () => {
    const repo = await openRepo('org/m', fake.opts());
    expect(await repo.optionalPath('tokenizer.json')).toBeNull();
    expect(
      readFileSync(join(fake.home.cacheDir, 'models--org--m', '.no_exist', C, 'tokenizer.json'), 'utf8'),
    ).toBe('');
    const before = fake.hub.requests.length;
    expect(await repo.optionalPath('tokenizer.json')).toBeNull();
    await expect(repo.path('tokenizer.json')).rejects.toBeInstanceOf(EntryNotFoundError);
    const offline = await openRepo('org/m', { ...fake.opts(), offline: true });
    expect(await offline.optionalPath('tokenizer.json')).toBeNull();
    expect(fake.hub.requests.length).toBe(before);
  });
});

describe('a cache written by huggingface_hub', () => {
  it('is read back: refs, relative symlinks into blobs, a copied file, and .no_exist', async () => {
    const commit = 'e1e2e3e4e5e6e7e8e9e0e1e2e3e4e5e6e7e8e9e0';
    const repo = join(fake.home.cacheDir, 'models--distilbert--distilbert-base-uncased');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    mkdirSync(join(repo, 'refs'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', commit, 'onnx'), { recursive: true });
    mkdirSync(join(repo, '.no_exist', commit), { recursive: true });
    writeFileSync(join(repo, 'refs', 'main'), commit);
    writeFileSync(join(repo, 'blobs', 'aaaa1111'), '{"dim": 768}');
    symlinkSync('../../blobs/aaaa1111', join(repo, 'snapshots', commit, 'config.json'));
    writeFileSync(join(repo, 'blobs', 'bbbb2222'), 'onnx bytes');
    symlinkSync('../../../blobs/bbbb2222', join(repo, 'snapshots', commit, 'onnx', 'model.onnx'));
    writeFileSync(join(repo, 'snapshots', commit, 'vocab.txt'), '[PAD]\n'); // copy, no symlink (Windows)
    writeFileSync(join(repo, '.no_exist', commit, 'tokenizer.json'), '');

    const before = fake.hub.requests.length;
    const files = await openRepo('distilbert/distilbert-base-uncased', { ...fake.opts(), offline: true });
    expect(files.commit).toBe(commit);
    expect(readFileSync(await files.path('config.json'), 'utf8')).toBe('{"dim": 768}');
    expect(readFileSync(await files.path('onnx/model.onnx'), 'utf8')).toBe('onnx bytes');
    expect(readFileSync(await files.path('vocab.txt'), 'utf8')).toBe('[PAD]\n');
    expect(await files.optionalPath('tokenizer.json')).toBeNull();
    // Online, pinned to that commit, the cache answers with no request either.
    const pinned = await openRepo('distilbert/distilbert-base-uncased', { ...fake.opts(), revision: commit });
    expect(readFileSync(await pinned.path('config.json'), 'utf8')).toBe('{"dim": 768}');
    expect(fake.hub.requests.length).toBe(before);
  });
});
