// Dataset repos (repoType: 'dataset'): /datasets/ URLs, the datasets--{org}--{name} cache folder, offline
// use, typed errors that name the dataset, and no collision with a model of the same id.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BadRepoTypeError,
  EntryNotFoundError,
  GatedRepoError,
  type HubOptions,
  OfflineNotCachedError,
  openRepo,
  RepoNotFoundError,
  RevisionNotFoundError,
  resolve,
  snapshot,
} from '../src/index.js';
import { bytes, commitOf, gitSha1, sha256, useFakeHub } from './fakeHub.js';

const C = commitOf('glue');
const MODEL_C = commitOf('model-glue');
const PARQUET = 'sst2/validation-00000-of-00001.parquet';
const SST2 = bytes(50_000, 7); // stands in for the parquet bytes (LFS)
const README = '---\npretty_name: GLUE\n---\n';

const dataset = (): HubOptions => ({
  endpoint: fake.hub.url,
  cacheDir: fake.home.cacheDir,
  repoType: 'dataset',
});
const DS_FOLDER = () => join(fake.home.cacheDir, 'datasets--nyu-mll--glue');

const fake = useFakeHub((hub) => {
  hub.datasets.set('nyu-mll/glue', {
    commits: {
      [C]: { 'README.md': README, [PARQUET]: { lfs: SST2 }, 'cola/train-00000-of-00001.parquet': 'cola' },
    },
    refs: { main: C },
  });
});

describe('first download', () => {
  it('fetches from /datasets/ into the datasets--nyu-mll--glue layout', async () => {
    const repo = await openRepo('nyu-mll/glue', dataset());
    expect(repo.commit).toBe(C);
    const parquet = await repo.path(PARQUET);
    const readme = await repo.path('README.md');

    expect(parquet).toBe(join(DS_FOLDER(), 'snapshots', C, 'sst2', 'validation-00000-of-00001.parquet'));
    expect(sha256(readFileSync(parquet))).toBe(sha256(SST2));
    expect(readFileSync(readme, 'utf8')).toBe(README);
    expect(lstatSync(parquet).isSymbolicLink()).toBe(true);
    expect(readlinkSync(parquet)).toBe(`../../../blobs/${sha256(SST2)}`);
    expect(readFileSync(join(DS_FOLDER(), 'refs', 'main'), 'utf8')).toBe(C);
    expect(readdirSync(join(DS_FOLDER(), 'blobs')).sort()).toEqual(
      [sha256(SST2), gitSha1(Buffer.from(README))].sort(),
    );
    // Locks live under .locks/datasets--…; nothing is written under a models-- folder.
    expect(existsSync(join(fake.home.cacheDir, '.locks', 'datasets--nyu-mll--glue'))).toBe(true);
    expect(readdirSync(fake.home.cacheDir).sort()).toEqual(['.locks', 'datasets--nyu-mll--glue']);

    expect(fake.hub.hubRequests().map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /api/datasets/nyu-mll/glue/revision/main',
      `HEAD /datasets/nyu-mll/glue/resolve/${C}/sst2/validation-00000-of-00001.parquet`,
      `HEAD /datasets/nyu-mll/glue/resolve/${C}/README.md`,
      `GET /datasets/nyu-mll/glue/resolve/${C}/README.md`,
    ]);
    expect(fake.hub.cdnRequests()).toHaveLength(1);
  });

  it('resolve() takes the same options, as glue-eval calls it', async () => {
    const p = await resolve('nyu-mll/glue', PARQUET, { ...dataset(), revision: 'main' });
    expect(p.startsWith(join(DS_FOLDER(), 'snapshots', C))).toBe(true);
    expect(sha256(readFileSync(p))).toBe(sha256(SST2));
  });

  it('snapshot() lists the dataset files (expand=siblings) and fetches the matching ones', async () => {
    const folder = await snapshot('nyu-mll/glue', { ...dataset(), allowPatterns: 'sst2/*' });
    expect(folder).toBe(join(DS_FOLDER(), 'snapshots', C));
    expect(readdirSync(folder)).toEqual(['sst2']);
    expect(sha256(readFileSync(join(folder, PARQUET)))).toBe(sha256(SST2));
    const info = fake.hub.hubRequests('GET').find((r) => r.url.startsWith('/api/'));
    expect(new URL(info?.url ?? '', 'http://x').searchParams.getAll('expand')).toContain('siblings');
  });
});

describe('cache hits', () => {
  it('makes no request at all for a cached file pinned by commit', async () => {
    await resolve('nyu-mll/glue', PARQUET, dataset());
    const before = fake.hub.requests.length;
    const p = await resolve('nyu-mll/glue', PARQUET, { ...dataset(), revision: C });
    expect(fake.hub.requests.length).toBe(before);
    expect(sha256(readFileSync(p))).toBe(sha256(SST2));
  });

  it('makes only the revision request on a branch load when the file is cached', async () => {
    await resolve('nyu-mll/glue', PARQUET, dataset());
    const before = fake.hub.requests.length;
    await resolve('nyu-mll/glue', PARQUET, dataset());
    expect(fake.hub.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /api/datasets/nyu-mll/glue/revision/main',
    ]);
  });
});

describe('offline', () => {
  it('resolves through the dataset refs/ with no request', async () => {
    await resolve('nyu-mll/glue', PARQUET, dataset());
    const before = fake.hub.requests.length;
    const repo = await openRepo('nyu-mll/glue', { ...dataset(), offline: true });
    expect(repo.commit).toBe(C);
    expect(sha256(readFileSync(await repo.path(PARQUET)))).toBe(sha256(SST2));
    process.env.HF_HUB_OFFLINE = '1';
    expect(await resolve('nyu-mll/glue', PARQUET, dataset())).toBe(await repo.path(PARQUET));
    expect(fake.hub.requests.length).toBe(before);
  });

  it('says which dataset is not cached, and answers .no_exist markers', async () => {
    const err = await openRepo('nyu-mll/glue', { ...dataset(), offline: true }).catch((e) => e);
    expect(err).toBeInstanceOf(OfflineNotCachedError);
    expect(err.message).toContain("revision 'main' of dataset 'nyu-mll/glue'");

    const online = await openRepo('nyu-mll/glue', dataset());
    expect(await online.optionalPath('sst2/test-00000-of-00001.parquet')).toBeNull();
    expect(
      readFileSync(join(DS_FOLDER(), '.no_exist', C, 'sst2', 'test-00000-of-00001.parquet'), 'utf8'),
    ).toBe('');
    const before = fake.hub.requests.length;
    const offline = await openRepo('nyu-mll/glue', { ...dataset(), offline: true });
    expect(await offline.optionalPath('sst2/test-00000-of-00001.parquet')).toBeNull();
    const notCached = await offline.path('README.md').catch((e) => e);
    expect(notCached).toBeInstanceOf(OfflineNotCachedError);
    expect(notCached.message).toContain("dataset 'nyu-mll/glue'");
    expect(fake.hub.requests.length).toBe(before);
  });
});

describe('a model and a dataset with the same id', () => {
  it('are fetched from their own URLs and cached in their own folders', async () => {
    fake.hub.repos.set('nyu-mll/glue', {
      commits: { [MODEL_C]: { 'README.md': 'a model' } },
      refs: { main: MODEL_C },
    });
    const asModel = await resolve('nyu-mll/glue', 'README.md', {
      endpoint: fake.hub.url,
      cacheDir: fake.home.cacheDir,
    });
    const asDataset = await resolve('nyu-mll/glue', 'README.md', dataset());
    expect(asModel).toBe(
      join(fake.home.cacheDir, 'models--nyu-mll--glue', 'snapshots', MODEL_C, 'README.md'),
    );
    expect(asDataset).toBe(join(DS_FOLDER(), 'snapshots', C, 'README.md'));
    expect(readFileSync(asModel, 'utf8')).toBe('a model');
    expect(readFileSync(asDataset, 'utf8')).toBe(README);
    // Offline, each type's refs/main answers for itself.
    const m = await openRepo('nyu-mll/glue', {
      endpoint: fake.hub.url,
      cacheDir: fake.home.cacheDir,
      offline: true,
    });
    const d = await openRepo('nyu-mll/glue', { ...dataset(), offline: true });
    expect([m.commit, d.commit]).toEqual([MODEL_C, C]);
    // The model has no parquet file; the dataset's is not found through the model.
    await expect(m.path(PARQUET)).rejects.toBeInstanceOf(OfflineNotCachedError);
  });

  it('a dataset id asked for as a model is a RepoNotFoundError that points at repoType', async () => {
    const err = await resolve('nyu-mll/glue', 'README.md', {
      endpoint: fake.hub.url,
      cacheDir: fake.home.cacheDir,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RepoNotFoundError);
    expect(err.message).toContain("repoType: 'dataset'");
    expect(existsSync(DS_FOLDER())).toBe(false);
  });
});

describe('typed errors name the dataset', () => {
  it('repo, revision and entry not found', async () => {
    const repo = await openRepo('nyu-mll/nope', dataset()).catch((e) => e);
    expect(repo).toBeInstanceOf(RepoNotFoundError);
    expect(repo).toMatchObject({ repoId: 'nyu-mll/nope', repoType: 'dataset' });
    expect(repo.message).toContain("Dataset 'nyu-mll/nope' was not found");

    const rev = await openRepo('nyu-mll/glue', { ...dataset(), revision: 'v9' }).catch((e) => e);
    expect(rev).toBeInstanceOf(RevisionNotFoundError);
    expect(rev.message).toContain("dataset 'nyu-mll/glue'");

    const entry = await resolve('nyu-mll/glue', 'mnli/x.parquet', dataset()).catch((e) => e);
    expect(entry).toBeInstanceOf(EntryNotFoundError);
    expect(entry.message).toBe("Dataset 'nyu-mll/glue' has no file 'mnli/x.parquet'.");
  });

  it('gated dataset', async () => {
    fake.hub.datasets.get('nyu-mll/glue')!.gated = true;
    const err = await resolve('nyu-mll/glue', PARQUET, dataset()).catch((e) => e);
    expect(err).toBeInstanceOf(GatedRepoError);
    expect(err.message).toContain("Dataset 'nyu-mll/glue' is a gated repo");
  });

  it('rejects an unsupported repoType before any request', async () => {
    const bad = { ...dataset(), repoType: 'space' } as unknown as HubOptions;
    await expect(openRepo('nyu-mll/glue', bad)).rejects.toBeInstanceOf(BadRepoTypeError);
    expect(fake.hub.requests).toHaveLength(0);
  });

  it('uses a local folder as is whatever the repoType', async () => {
    expect(await snapshot(fake.home.dir, dataset())).toBe(fake.home.dir);
    const local = await openRepo(fake.home.dir, dataset());
    expect(local.isLocal).toBe(true);
  });
});
