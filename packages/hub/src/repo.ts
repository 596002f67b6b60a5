// openRepo: a Hub model or dataset id, or a local folder → the files of one commit.
import { existsSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { datasetInfo, modelInfo } from '@huggingface/hub';
import { existsFile, RepoCache } from './cache.js';
import { downloadBlob } from './download.js';
import { EntryNotFoundError, NetworkError, OfflineNotCachedError } from './errors.js';
import { hubFetch, throwForStatus } from './http.js';
import { fileMetadata } from './metadata.js';
import { type HubOptions, type Settings, settings } from './settings.js';
import { validateFilename, validateRepoId, validateRevision } from './validate.js';

/** The files of one model or dataset repo (or local folder), all from one commit. */
export interface RepoFiles {
  /** The id or folder it was opened with. */
  readonly id: string;
  /** The commit the revision resolved to (undefined for a local folder). */
  readonly commit: string | undefined;
  readonly isLocal: boolean;
  /** The folder the files are in: the local folder, or the cache's snapshots/{commit}. */
  readonly folder: string;
  /** True when the Hub could not be reached and the commit came from the cache's refs/. */
  readonly fromCache: boolean;
  /** Local path of `filename`; throws EntryNotFoundError when the repo has no such file. */
  path(filename: string): Promise<string>;
  /** Local path of `filename`, or null when the repo has no such file (or, offline, it is not cached). */
  optionalPath(filename: string): Promise<string | null>;
}

export const COMMIT_RE = /^[0-9a-f]{40}$/;

const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * Opens a Hub model id (or dataset id, with `repoType: 'dataset'`) or a local folder. A folder is used
 * as is, with no network access.
 * For a Hub id the revision is resolved to one commit here (one request, none when it is a commit hash
 * or offline), and every file is then taken from that commit.
 */
export async function openRepo(idOrPath: string, options: HubOptions = {}): Promise<RepoFiles> {
  if (isFolder(idOrPath)) return localRepo(idOrPath);
  const s = settings(options);
  validateRepoId(idOrPath, s.repoType);
  const revision = options.revision ?? 'main';
  validateRevision(revision);
  const cache = new RepoCache(s.cacheDir, idOrPath, s.repoType);
  const { commit, fromCache } = await resolveCommit(s, cache, idOrPath, revision);
  return new HubRepo(s, cache, idOrPath, commit, fromCache);
}

/** Local path of one file of a repo or folder. */
export async function resolve(idOrPath: string, filename: string, options: HubOptions = {}): Promise<string> {
  return (await openRepo(idOrPath, options)).path(filename);
}

function localRepo(folder: string): RepoFiles {
  const optionalPath = async (f: string) => {
    validateFilename(f);
    const p = join(folder, f);
    return (await existsFile(p)) ? p : null;
  };
  return {
    id: folder,
    commit: undefined,
    isLocal: true,
    folder: resolvePath(folder),
    fromCache: false,
    optionalPath,
    async path(f) {
      const p = await optionalPath(f);
      if (!p) throw new EntryNotFoundError(folder, f);
      return p;
    },
  };
}

export interface ResolvedRevision {
  commit: string;
  fromCache: boolean;
  /** Repo file list, when asked for (snapshot). */
  files?: string[];
}

/**
 * Revision → commit. Online this is @huggingface/hub's modelInfo / datasetInfo
 * (GET /api/{models|datasets}/{id}/revision/{rev}, the endpoint huggingface_hub's repo_info uses),
 * through our fetch for auth, renames and typed errors.
 * Offline, and when the Hub cannot be reached, the cache's refs/{revision} answers, as in Python.
 */
export async function resolveCommit(
  s: Settings,
  cache: RepoCache,
  repoId: string,
  revision: string,
  withFiles = false,
): Promise<ResolvedRevision> {
  if (COMMIT_RE.test(revision) && !withFiles) return { commit: revision, fromCache: false };
  const cachedCommit = async () => (COMMIT_RE.test(revision) ? revision : await cache.readRef(revision));
  if (s.offline) {
    const commit = await cachedCommit();
    if (!commit) throw new OfflineNotCachedError(repoId, `revision '${revision}'`, s.cacheDir, s.repoType);
    return { commit, fromCache: true };
  }
  const subject = { repoId, repoType: s.repoType, revision };
  // The token is added by hubFetch (endpoint origin only), never handed to the library.
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
    throwForStatus(
      await hubFetch(s, String(input), {
        headers: headersOf(init),
        follow: 'relative',
        timeoutMs: s.etagTimeoutMs,
      }),
      subject,
    );
  const query = { name: repoId, revision, hubUrl: s.endpoint, fetch };
  try {
    let commit: string | undefined;
    let files: string[] | undefined;
    if (s.repoType === 'dataset') {
      // datasetInfo's typings leave out `siblings`, but the API expands it as for models (Python's
      // dataset_info(expand=['siblings'])) and the library passes the field through.
      const info = await datasetInfo({
        ...query,
        additionalFields: (withFiles ? ['sha', 'siblings'] : ['sha']) as ['sha'],
      });
      commit = info.sha;
      files = (info as { siblings?: { rfilename: string }[] }).siblings?.map((f) => f.rfilename);
    } else {
      const info = await modelInfo({
        ...query,
        additionalFields: withFiles ? ['sha', 'filePaths'] : ['sha'],
      });
      commit = (info as { sha?: string }).sha;
      files = (info as { filePaths?: string[] }).filePaths;
    }
    if (!commit || !COMMIT_RE.test(commit))
      throw new NetworkError(`No commit hash for ${s.repoType} '${repoId}@${revision}'`);
    await cache.writeRef(revision, commit);
    return { commit, fromCache: false, files };
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    const commit = await cachedCommit();
    if (!commit) throw err;
    return { commit, fromCache: true };
  }
}

const headersOf = (init: RequestInit | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
};

class HubRepo implements RepoFiles {
  readonly isLocal = false;
  readonly folder: string;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly s: Settings,
    private readonly cache: RepoCache,
    readonly id: string,
    readonly commit: string,
    readonly fromCache: boolean,
  ) {
    this.folder = cache.snapshotDir(commit);
  }

  async optionalPath(filename: string): Promise<string | null> {
    try {
      return await this.path(filename);
    } catch (err) {
      // Offline and not cached counts as absent for optional files, as transformers does.
      if (err instanceof EntryNotFoundError || err instanceof OfflineNotCachedError) return null;
      throw err;
    }
  }

  async path(filename: string): Promise<string> {
    validateFilename(filename);
    const pointer = this.cache.pointer(this.commit, filename);
    if (await existsFile(pointer)) return pointer; // cache hit: no request
    if (await existsFile(this.cache.noExist(this.commit, filename)))
      throw new EntryNotFoundError(this.id, filename, this.s.repoType);
    if (this.s.offline) {
      throw new OfflineNotCachedError(
        this.id,
        `'${filename}' at ${this.commit.slice(0, 8)}`,
        this.s.cacheDir,
        this.s.repoType,
      );
    }
    // One download per file per process; other processes are kept out by the blob lock.
    let pending = this.inflight.get(filename);
    if (!pending) {
      pending = this.fetchFile(filename, pointer).finally(() => this.inflight.delete(filename));
      this.inflight.set(filename, pending);
    }
    return pending;
  }

  private async fetchFile(filename: string, pointer: string): Promise<string> {
    const { s, cache } = this;
    let meta: Awaited<ReturnType<typeof fileMetadata>>;
    try {
      meta = await fileMetadata(s, this.id, this.commit, filename);
    } catch (err) {
      if (err instanceof EntryNotFoundError) await cache.markNoExist(this.commit, filename);
      if (err instanceof NetworkError) {
        throw new NetworkError(
          `Could not fetch '${filename}' of ${s.repoType} '${this.id}' and it is not in the cache`,
          err,
        );
      }
      throw err;
    }
    const blobPath = cache.blob(meta.etag);
    await downloadBlob(s, {
      url: meta.location,
      blobPath,
      lockPath: cache.lock(meta.etag),
      etag: meta.etag,
      size: meta.size,
      subject: { repoId: this.id, repoType: s.repoType, revision: this.commit, filename },
      retries: s.retries,
      downloadTimeoutMs: s.downloadTimeoutMs,
      onProgress: s.onProgress,
    });
    await cache.link(blobPath, pointer);
    return pointer;
  }
}
