// snapshot: the files of one commit that match patterns, downloaded into snapshots/{commit}.

import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { RepoCache } from './cache.js';
import { OfflineNotCachedError } from './errors.js';
import { matchesAny } from './fnmatch.js';
import { openRepo, resolveCommit } from './repo.js';
import { type HubOptions, settings } from './settings.js';
import { validateRepoId, validateRevision } from './validate.js';

export interface SnapshotOptions extends HubOptions {
  /** fnmatch patterns ("*.json", "onnx/"); only matching files are fetched (default: all). */
  allowPatterns?: string | readonly string[];
  /** fnmatch patterns of files to leave out. */
  ignorePatterns?: string | readonly string[];
}

const PARALLEL = 4;

/**
 * Downloads the matching files of a repo at one commit and returns the snapshot folder
 * (a local folder is returned as is). The file list comes from @huggingface/hub's modelInfo (datasetInfo
 * for `repoType: 'dataset'`); offline, or when the Hub cannot be reached, the cached snapshot of
 * refs/{revision} is returned as Python does.
 */
export async function snapshot(idOrPath: string, options: SnapshotOptions = {}): Promise<string> {
  if (existsSync(idOrPath) && statSync(idOrPath).isDirectory()) return idOrPath;
  const s = settings(options);
  validateRepoId(idOrPath, s.repoType);
  const revision = options.revision ?? 'main';
  validateRevision(revision);
  const cache = new RepoCache(s.cacheDir, idOrPath, s.repoType);
  const { commit, files, fromCache } = await resolveCommit(s, cache, idOrPath, revision, true);
  const folder = cache.snapshotDir(commit);
  if (fromCache || !files) {
    if (!existsSync(folder))
      throw new OfflineNotCachedError(idOrPath, `a snapshot of '${revision}'`, s.cacheDir, s.repoType);
    return folder;
  }
  const wanted = files.filter(
    (f) =>
      (options.allowPatterns === undefined || matchesAny(f, options.allowPatterns)) &&
      (options.ignorePatterns === undefined || !matchesAny(f, options.ignorePatterns)),
  );
  await mkdir(folder, { recursive: true });
  const repo = await openRepo(idOrPath, { ...options, revision: commit });
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) await repo.path(wanted[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, wanted.length) }, worker));
  return folder;
}
