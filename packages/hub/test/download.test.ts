// First download, cache layout, cache hits without requests, revision pinning, tokens and redirects.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepo, type ProgressEvent, resolve, snapshot } from '../src/index.js';
import { bytes, commitOf, gitSha1, sha256, TOKEN, useFakeHub } from './fakeHub.js';

const C1 = commitOf('c1');
const C2 = commitOf('c2');
const PR = commitOf('pr1');
const WEIGHTS = bytes(300_000);
const CONFIG_V1 = '{"dim": 32, "n_layers": 1}';
const CONFIG_V2 = '{"dim": 32, "n_layers": 2}';

const fake = useFakeHub((hub) => {
  hub.repos.set('org/tiny', {
    commits: {
      [C1]: { 'config.json': CONFIG_V1, 'model.safetensors': { lfs: WEIGHTS } },
      [C2]: { 'config.json': CONFIG_V2, 'model.safetensors': { lfs: WEIGHTS }, 'vocab.txt': 'a\nb\n' },
      [PR]: { 'config.json': '{"pr": 1}' },
    },
    refs: { main: C2, v1: C1, 'refs/pr/1': PR },
  });
});

describe('first download', () => {
  it('fetches a git file and an LFS file into the huggingface_hub layout', async () => {
    const events: ProgressEvent[] = [];
    const repo = await openRepo('org/tiny', { ...fake.opts(), onProgress: (e) => events.push(e) });
    expect(repo.commit).toBe(C2);
    const config = await repo.path('config.json');
    const weights = await repo.path('model.safetensors');

    const folder = join(fake.home.cacheDir, 'models--org--tiny');
    expect(config).toBe(join(folder, 'snapshots', C2, 'config.json'));
    expect(readFileSync(config, 'utf8')).toBe(CONFIG_V2);
    expect(sha256(readFileSync(weights))).toBe(sha256(WEIGHTS));
    // Relative symlinks to blobs named by ETag (git sha1 / LFS sha256), refs/main = commit.
    expect(lstatSync(weights).isSymbolicLink()).toBe(true);
    expect(readlinkSync(weights)).toBe(`../../blobs/${sha256(WEIGHTS)}`);
    expect(readlinkSync(config)).toBe(`../../blobs/${gitSha1(Buffer.from(CONFIG_V2))}`);
    expect(readFileSync(join(folder, 'refs', 'main'), 'utf8')).toBe(C2);
    expect(readdirSync(join(folder, 'blobs')).sort()).toEqual(
      [sha256(WEIGHTS), gitSha1(Buffer.from(CONFIG_V2))].sort(),
    );
    // Progress: monotonic, ends at the full size.
    const w = events.filter((e) => e.file === 'model.safetensors');
    expect(w.at(-1)).toEqual({ file: 'model.safetensors', loaded: WEIGHTS.length, total: WEIGHTS.length });
    expect(w.every((e, i) => i === 0 || e.loaded >= w[i - 1].loaded)).toBe(true);
  });

  it('sends HEAD with Accept-Encoding: identity, then GETs the CDN location', async () => {
    await resolve('org/tiny', 'model.safetensors', fake.opts());
    const head = fake.hub.hubRequests('HEAD');
    expect(head).toHaveLength(1);
    expect(head[0].url).toBe(`/org/tiny/resolve/${C2}/model.safetensors`);
    expect(head[0].headers['accept-encoding']).toBe('identity');
    expect(fake.hub.hubRequests('GET').filter((r) => r.url.includes('/resolve/'))).toHaveLength(0);
    expect(fake.hub.cdnRequests().map((r) => r.url)).toEqual([`/blobs/${sha256(WEIGHTS)}?signature=abc`]);
  });

  it('sends the token to the Hub but never to the CDN host', async () => {
    await resolve('org/tiny', 'model.safetensors', { ...fake.opts(), token: TOKEN });
    expect(fake.hub.hubRequests().every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(fake.hub.cdnRequests()).toHaveLength(1);
    expect(fake.hub.cdnRequests()[0].headers.authorization).toBeUndefined();
  });

  it('reads the token from HF_TOKEN', async () => {
    process.env.HF_TOKEN = TOKEN;
    await resolve('org/tiny', 'config.json', fake.opts());
    expect(fake.hub.hubRequests('HEAD')[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('follows a relative redirect of a renamed repo and caches under the id asked for', async () => {
    fake.hub.renames.set('old-org/tiny', 'org/tiny');
    const p = await resolve('old-org/tiny', 'model.safetensors', fake.opts());
    expect(p).toBe(join(fake.home.cacheDir, 'models--old-org--tiny', 'snapshots', C2, 'model.safetensors'));
    expect(sha256(readFileSync(p))).toBe(sha256(WEIGHTS));
    const heads = fake.hub.hubRequests('HEAD').map((r) => r.url);
    expect(heads).toEqual([
      `/old-org/tiny/resolve/${C2}/model.safetensors`,
      `/org/tiny/resolve/${C2}/model.safetensors`,
    ]);
  });
});

describe('cache hits', () => {
  it('makes no request at all for a cached file pinned by commit', async () => {
    await resolve('org/tiny', 'model.safetensors', { ...fake.opts(), revision: C2 });
    const before = fake.hub.requests.length;
    const p = await resolve('org/tiny', 'model.safetensors', { ...fake.opts(), revision: C2 });
    expect(fake.hub.requests.length).toBe(before);
    expect(sha256(readFileSync(p))).toBe(sha256(WEIGHTS));
  });

  it('makes one revision request per branch load and no file request when cached', async () => {
    const first = await openRepo('org/tiny', fake.opts());
    await first.path('config.json');
    await first.path('model.safetensors');
    const before = fake.hub.requests.length;
    const again = await openRepo('org/tiny', fake.opts());
    await again.path('config.json');
    await again.path('model.safetensors');
    expect(fake.hub.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /api/models/org/tiny/revision/main',
    ]);
  });

  it('links a second commit to the blob it already has without downloading it again', async () => {
    await resolve('org/tiny', 'model.safetensors', { ...fake.opts(), revision: 'v1' });
    await resolve('org/tiny', 'model.safetensors', { ...fake.opts(), revision: 'main' });
    expect(fake.hub.cdnRequests()).toHaveLength(1);
    const folder = join(fake.home.cacheDir, 'models--org--tiny', 'snapshots');
    expect(readdirSync(folder).sort()).toEqual([C1, C2].sort());
  });
});

describe('revisions', () => {
  it('pins by branch and by commit', async () => {
    const v1 = await resolve('org/tiny', 'config.json', { ...fake.opts(), revision: 'v1' });
    expect(readFileSync(v1, 'utf8')).toBe(CONFIG_V1);
    expect(v1).toContain(C1);
    const byCommit = await openRepo('org/tiny', { ...fake.opts(), revision: C1 });
    expect(byCommit.commit).toBe(C1);
    expect(readFileSync(await byCommit.path('config.json'), 'utf8')).toBe(CONFIG_V1);
    expect(readFileSync(join(fake.home.cacheDir, 'models--org--tiny', 'refs', 'v1'), 'utf8')).toBe(C1);
  });

  it('URL-encodes refs/pr/1 and stores the ref under refs/refs/pr/1', async () => {
    const p = await resolve('org/tiny', 'config.json', { ...fake.opts(), revision: 'refs/pr/1' });
    expect(readFileSync(p, 'utf8')).toBe('{"pr": 1}');
    expect(fake.hub.hubRequests('GET')[0].url.split('?')[0]).toBe(
      '/api/models/org/tiny/revision/refs%2Fpr%2F1',
    );
    expect(
      readFileSync(join(fake.home.cacheDir, 'models--org--tiny', 'refs', 'refs', 'pr', '1'), 'utf8'),
    ).toBe(PR);
  });

  it('keeps every file of one load on the commit resolved at open, even if the branch moves', async () => {
    fake.hub.repos.get('org/tiny')!.refs.main = C1;
    const repo = await openRepo('org/tiny', fake.opts());
    await repo.path('config.json');
    fake.hub.repos.get('org/tiny')!.refs.main = C2; // a push lands mid-load
    await expect(repo.path('vocab.txt')).rejects.toMatchObject({ code: 'ENTRY_NOT_FOUND' }); // C1 has none
    expect(readFileSync(await repo.path('config.json'), 'utf8')).toBe(CONFIG_V1);
    expect(fake.hub.hubRequests('HEAD').every((r) => r.url.includes(`/resolve/${C1}/`))).toBe(true);
  });
});

describe('snapshot', () => {
  it('downloads the files matching allowPatterns into snapshots/{commit}', async () => {
    const folder = await snapshot('org/tiny', { ...fake.opts(), allowPatterns: ['*.json', '*.txt'] });
    expect(folder).toBe(join(fake.home.cacheDir, 'models--org--tiny', 'snapshots', C2));
    expect(readdirSync(folder).sort()).toEqual(['config.json', 'vocab.txt']);
    expect(fake.hub.cdnRequests()).toHaveLength(0);
    expect(existsSync(join(folder, 'model.safetensors'))).toBe(false);
  });

  it('returns a local folder as is', async () => {
    expect(await snapshot(fake.home.dir, { allowPatterns: '*.json' })).toBe(fake.home.dir);
  });
});
