// huggingface_hub's cache layout, so Python and this package share one cache:
//   {cacheDir}/models--{org}--{name}/      (datasets--{org}--{name}/ for a dataset)
//     blobs/{etag}                       file contents, named by ETag (sha256 for LFS, git sha1 otherwise)
//     snapshots/{commit}/{file}          relative symlink to ../../blobs/{etag} (a copy where symlinks fail)
//     refs/{revision}                    the commit a branch/tag pointed to when last seen
//     .no_exist/{commit}/{file}          empty marker: the file is known to be absent at that commit
//   {cacheDir}/.locks/models--{org}--{name}/{etag}.lock   (.locks/datasets--… for a dataset)
// Folder naming comes from @huggingface/hub (getRepoFolderName); writes here are atomic (temp + rename),
// which its createSymlink (rm, then symlink) is not.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { getRepoFolderName } from '@huggingface/hub';
import type { RepoType } from './errors.js';

export class RepoCache {
  readonly folder: string;
  readonly locks: string;

  constructor(
    readonly cacheDir: string,
    repoId: string,
    repoType: RepoType,
  ) {
    const name = getRepoFolderName({ type: repoType, name: repoId });
    this.folder = join(cacheDir, name);
    this.locks = join(cacheDir, '.locks', name);
  }

  snapshotDir(commit: string) {
    return join(this.folder, 'snapshots', commit);
  }
  pointer(commit: string, filename: string) {
    return join(this.folder, 'snapshots', commit, filename);
  }
  blob(etag: string) {
    return join(this.folder, 'blobs', etag);
  }
  lock(etag: string) {
    return join(this.locks, `${etag}.lock`);
  }
  noExist(commit: string, filename: string) {
    return join(this.folder, '.no_exist', commit, filename);
  }

  /** The commit `revision` pointed to when last seen, or undefined. */
  async readRef(revision: string): Promise<string | undefined> {
    try {
      return (await readFile(join(this.folder, 'refs', revision), 'utf8')).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision === commit || (await this.readRef(revision)) === commit) return;
    await atomicWrite(join(this.folder, 'refs', revision), commit); // no newline, as Python writes it
  }

  async markNoExist(commit: string, filename: string): Promise<void> {
    await atomicWrite(this.noExist(commit, filename), '');
  }

  /** Points snapshots/{commit}/{file} at the blob: relative symlink, or a copy where symlinks fail. */
  async link(blobPath: string, pointerPath: string): Promise<void> {
    await mkdir(dirname(pointerPath), { recursive: true });
    const tmp = tempName(pointerPath);
    try {
      await symlink(relative(dirname(pointerPath), blobPath), tmp);
    } catch {
      await copyFile(blobPath, tmp); // e.g. Windows without developer mode, some network drives
    }
    try {
      await rename(tmp, pointerPath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

const tempName = (path: string) => `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;

async function atomicWrite(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Exists, following symlinks (a dangling snapshot link counts as absent). */
export const existsFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
