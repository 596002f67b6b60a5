// Where symlinks cannot be made (Windows without developer mode), snapshots hold real copies.
import { lstatSync, readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { resolve } from '../src/index.js';
import { bytes, commitOf, sha256, useFakeHub } from './fakeHub.js';

vi.mock('node:fs/promises', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:fs/promises')>()),
  symlink: async () => {
    throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' });
  },
}));

const C = commitOf('c');
const WEIGHTS = bytes(50_000, 5);

const fake = useFakeHub((hub) => {
  hub.repos.set('org/w', { commits: { [C]: { 'model.safetensors': { lfs: WEIGHTS } } }, refs: { main: C } });
});

it('copies the blob into the snapshot when symlink fails', async () => {
  const p = await resolve('org/w', 'model.safetensors', fake.opts());
  expect(lstatSync(p).isSymbolicLink()).toBe(false);
  expect(lstatSync(p).isFile()).toBe(true);
  expect(sha256(readFileSync(p))).toBe(sha256(WEIGHTS));
});
