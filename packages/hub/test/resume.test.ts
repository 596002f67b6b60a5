// Interrupted downloads: resumed with Range, and never left where a load would take them for good files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { IntegrityError, NetworkError, openRepo, resolve } from '../src/index.js';
import { bytes, commitOf, sha256, useFakeHub } from './fakeHub.js';

const C = commitOf('c');
const WEIGHTS = bytes(400_000, 7);
const OID = sha256(WEIGHTS);

const blobs = () => join(fake.home.cacheDir, 'models--org--w', 'blobs');
const pointer = () => join(fake.home.cacheDir, 'models--org--w', 'snapshots', C, 'model.safetensors');

const fake = useFakeHub((hub) => {
  hub.repos.set('org/w', { commits: { [C]: { 'model.safetensors': { lfs: WEIGHTS } } }, refs: { main: C } });
});

it('resumes a download cut mid-file with Range and ends with the right bytes', async () => {
  fake.hub.cuts = 1;
  fake.hub.cutAfter = 150_000;
  const p = await resolve('org/w', 'model.safetensors', fake.opts());
  expect(sha256(readFileSync(p))).toBe(OID);
  const gets = fake.hub.cdnRequests();
  expect(gets).toHaveLength(2);
  expect(gets[0].headers.range).toBeUndefined();
  expect(gets[1].headers.range).toBe('bytes=150000-');
  expect(readdirSync(blobs())).toEqual([OID]);
});

it('leaves only blobs/*.incomplete after failing, and a later load resumes from it', async () => {
  fake.hub.cuts = 3;
  fake.hub.cutAfter = 100_000;
  const err = await resolve('org/w', 'model.safetensors', { ...fake.opts(), retries: 2 }).catch((e) => e);
  expect(err).toBeInstanceOf(NetworkError);
  expect(err.code).toBe('NETWORK_ERROR');
  // Nothing a load would take as good: no blob, no snapshot entry; the partial bytes are set aside.
  expect(existsSync(pointer())).toBe(false);
  expect(readdirSync(blobs())).toEqual([`${OID}.incomplete`]);
  const partial = statSync(join(blobs(), `${OID}.incomplete`)).size;
  expect(partial).toBe(300_000);
  // No leftover lock either.
  expect(readdirSync(join(fake.home.cacheDir, '.locks', 'models--org--w'))).toEqual([]);

  const before = fake.hub.cdnRequests().length;
  const p = await resolve('org/w', 'model.safetensors', fake.opts());
  expect(sha256(readFileSync(p))).toBe(OID);
  expect(
    fake.hub
      .cdnRequests()
      .slice(before)
      .map((r) => r.headers.range),
  ).toEqual([`bytes=${partial}-`]);
  expect(readdirSync(blobs())).toEqual([OID]);
});

it('discards a download whose sha256 does not match the LFS ETag', async () => {
  fake.hub.corrupt = true;
  const repo = await openRepo('org/w', fake.opts());
  const err = await repo.path('model.safetensors').catch((e) => e);
  expect(err).toBeInstanceOf(IntegrityError);
  expect(err.message).toContain(`expected ${OID}`);
  expect(existsSync(pointer())).toBe(false);
  expect(readdirSync(blobs())).toEqual([]);
  fake.hub.corrupt = false;
  expect(sha256(readFileSync(await repo.path('model.safetensors')))).toBe(OID);
});
