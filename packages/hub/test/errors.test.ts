// Typed errors: what the Hub answers (X-Error-Code, 401) and names refused before any request.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadFilenameError,
  BadRepoIdError,
  EntryNotFoundError,
  GatedRepoError,
  HubError,
  openRepo,
  RepoNotFoundError,
  RevisionNotFoundError,
  resolve,
} from '../src/index.js';
import { commitOf, TOKEN, useFakeHub } from './fakeHub.js';

const C = commitOf('c');

const fake = useFakeHub((hub) => {
  hub.repos.set('org/m', { commits: { [C]: { 'config.json': '{}' } }, refs: { main: C } });
  hub.repos.set('org/private', {
    commits: { [C]: { 'config.json': '{}' } },
    refs: { main: C },
    private: true,
  });
  hub.repos.set('org/gated', { commits: { [C]: { 'config.json': '{}' } }, refs: { main: C }, gated: true });
});

describe('Hub answers', () => {
  it('RepoNotFound', async () => {
    const err = await resolve('org/nope', 'config.json', fake.opts()).catch((e) => e);
    expect(err).toBeInstanceOf(RepoNotFoundError);
    expect(err).toBeInstanceOf(HubError);
    expect(err.code).toBe('REPO_NOT_FOUND');
    expect(err.message).toContain('HF_TOKEN');
  });

  it('RevisionNotFound', async () => {
    const err = await openRepo('org/m', { ...fake.opts(), revision: 'nope' }).catch((e) => e);
    expect(err).toBeInstanceOf(RevisionNotFoundError);
    expect(err.code).toBe('REVISION_NOT_FOUND');
  });

  it('EntryNotFound', async () => {
    const err = await resolve('org/m', 'pytorch_model.bin', fake.opts()).catch((e) => e);
    expect(err).toBeInstanceOf(EntryNotFoundError);
    expect(err.code).toBe('ENTRY_NOT_FOUND');
  });

  it('gated repo: 401 asks for HF_TOKEN, and the token from the token file opens it', async () => {
    const err = await resolve('org/gated', 'config.json', fake.opts()).catch((e) => e);
    expect(err).toBeInstanceOf(GatedRepoError);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('GATED_REPO');
    expect(err.message).toContain('HF_TOKEN');
    writeFileSync(join(fake.home.dir, 'token'), `${TOKEN}\n`); // $HF_HOME/token, as `hf auth login` writes it
    expect(existsSync(await resolve('org/gated', 'config.json', fake.opts()))).toBe(true);
  });

  it('a bare 403 is an AuthError that says to set HF_TOKEN; with the token it works', async () => {
    const err = await resolve('org/private', 'config.json', fake.opts()).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).not.toBeInstanceOf(GatedRepoError);
    expect(err.code).toBe('AUTH_REQUIRED');
    expect(err.message).toContain('Set HF_TOKEN');
    expect(existsSync(await resolve('org/private', 'config.json', { ...fake.opts(), token: TOKEN }))).toBe(
      true,
    );
  });
});

describe('refused names', () => {
  it.each([
    '../../../etc/passwd',
    'a/../../b',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    'a\\..\\..\\b',
    'c:foo',
  ])('path traversal %s is refused before any request or write', async (name) => {
    const repo = await openRepo('org/m', { ...fake.opts(), revision: C });
    const err = await repo.path(name).catch((e) => e);
    expect(err).toBeInstanceOf(BadFilenameError);
    expect(err.code).toBe('BAD_FILENAME');
    await expect(repo.optionalPath(name)).rejects.toBeInstanceOf(BadFilenameError);
    expect(fake.hub.requests).toHaveLength(0);
    expect(existsSync(fake.home.cacheDir) ? readdirSync(fake.home.cacheDir) : []).toEqual([]);
  });

  it('refuses traversal in a local folder too', async () => {
    const local = await openRepo(fake.home.dir);
    await expect(local.path('../x')).rejects.toBeInstanceOf(BadFilenameError);
  });

  it('refuses a revision that would leave refs/', async () => {
    await expect(openRepo('org/m', { ...fake.opts(), revision: '../../x' })).rejects.toMatchObject({
      code: 'BAD_REVISION',
    });
    expect(fake.hub.requests).toHaveLength(0);
  });

  it('refuses a string that is neither a folder nor a repo id', async () => {
    for (const bad of ['./no/such/folder', 'a/b/c', 'org--x/y', 'bad name']) {
      await expect(openRepo(bad, fake.opts())).rejects.toBeInstanceOf(BadRepoIdError);
    }
  });
});
