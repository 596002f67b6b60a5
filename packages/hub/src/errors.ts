// Typed errors: each has a stable `code` so callers (CLIs, pipelines) can branch without parsing messages,
// and a message that says what to do next.

export class HubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The kinds of Hub repo this package reads (huggingface_hub's `repo_type`). */
export type RepoType = 'model' | 'dataset';

/** "model 'org/name'" / "dataset 'org/name'": messages name the kind of repo. */
const named = (repoId: string, repoType: RepoType) => `${repoType} '${repoId}'`;
const Named = (repoId: string, repoType: RepoType) =>
  `${repoType === 'dataset' ? 'Dataset' : 'Model'} '${repoId}'`;

/** The repo id does not exist on the Hub (or is private and no token with access was sent). */
export class RepoNotFoundError extends HubError {
  constructor(
    readonly repoId: string,
    readonly repoType: RepoType = 'model',
  ) {
    super(
      'REPO_NOT_FOUND',
      `${Named(repoId, repoType)} was not found on the Hub. Check the id (org/name)` +
        (repoType === 'dataset'
          ? " and that it is a dataset (a model needs repoType: 'model')"
          : " (a dataset needs repoType: 'dataset')") +
        '; if the repo is private, set HF_TOKEN (or pass `token`) to a token that can read it.',
    );
  }
}

/** The branch, tag or commit does not exist in the repo. */
export class RevisionNotFoundError extends HubError {
  constructor(
    readonly repoId: string,
    readonly revision: string,
    readonly repoType: RepoType = 'model',
  ) {
    super(
      'REVISION_NOT_FOUND',
      `Revision '${revision}' does not exist in ${named(repoId, repoType)}. ` +
        'Use a branch, tag or full commit hash that exists.',
    );
  }
}

/** The repo (at that commit) has no such file. */
export class EntryNotFoundError extends HubError {
  constructor(
    readonly repoId: string,
    readonly filename: string,
    readonly repoType: RepoType = 'model',
  ) {
    // A local folder is named by its path alone.
    super(
      'ENTRY_NOT_FOUND',
      `${repoType === 'dataset' ? Named(repoId, repoType) : repoId} has no file '${filename}'.`,
    );
  }
}

/** 401/403: private repo or missing/insufficient token. */
export class AuthError extends HubError {
  constructor(
    readonly repoId: string,
    readonly status: number,
    readonly repoType: RepoType = 'model',
    code = 'AUTH_REQUIRED',
    message = `Access to ${named(repoId, repoType)} was refused (HTTP ${status}): the repo is private or gated. ` +
      'Set HF_TOKEN (or pass `token`, or run `hf auth login`) with a token that has access.',
  ) {
    super(code, message);
  }
}

/** The repo is gated: the user must accept its conditions on the Hub and send a token. */
export class GatedRepoError extends AuthError {
  constructor(repoId: string, status: number, repoType: RepoType = 'model') {
    super(
      repoId,
      status,
      repoType,
      'GATED_REPO',
      `${Named(repoId, repoType)} is a gated repo (HTTP ${status}): accept its conditions on its Hub page, ` +
        'then set HF_TOKEN (or pass `token`) to a token of that account.',
    );
  }
}

/** Offline mode (HF_HUB_OFFLINE=1 or `offline: true`) and the cache does not have what was asked. */
export class OfflineNotCachedError extends HubError {
  constructor(repoId: string, what: string, cacheDir: string, repoType: RepoType = 'model') {
    super(
      'OFFLINE_NOT_CACHED',
      `Offline mode is on and ${what} of ${named(repoId, repoType)} is not in the cache (${cacheDir}). ` +
        'Run once with network access (unset HF_HUB_OFFLINE), or point HF_HUB_CACHE at a cache that has it.',
    );
  }
}

/** The Hub could not be reached (connection refused, reset, timeout, 5xx) and no cached copy exists. */
export class NetworkError extends HubError {
  constructor(message: string, cause?: unknown) {
    super(
      'NETWORK_ERROR',
      `${message}. Check your connection, proxy and HF_ENDPOINT; files already in the cache are used ` +
        'when the Hub cannot be reached, or set HF_HUB_OFFLINE=1.',
      { cause },
    );
  }
}

/** A repo filename that could escape the cache or model folder (`..`, absolute path, backslash, drive). */
export class BadFilenameError extends HubError {
  constructor(
    readonly filename: string,
    reason: string,
  ) {
    super('BAD_FILENAME', `Refusing repo filename '${filename}': ${reason}.`);
  }
}

/** Neither an existing folder nor a valid Hub model id. */
export class BadRepoIdError extends HubError {
  constructor(idOrPath: string, reason: string, repoType: RepoType = 'model') {
    super(
      'BAD_REPO_ID',
      `'${idOrPath}' is not an existing folder and not a valid Hub ${repoType} id (${reason}). ` +
        `Pass a folder path or an id like '${repoType === 'dataset' ? 'nyu-mll/glue' : 'distilbert-base-uncased'}' or 'org/name'.`,
    );
  }
}

/** `repoType` is not one this package reads. */
export class BadRepoTypeError extends HubError {
  constructor(repoType: unknown) {
    super(
      'BAD_REPO_TYPE',
      `Unsupported repoType ${JSON.stringify(repoType)}: use 'model' (default) or 'dataset'.`,
    );
  }
}

/** A downloaded file does not match the size or sha256 the Hub announced; it was discarded. */
export class IntegrityError extends HubError {
  constructor(filename: string, detail: string) {
    super('INTEGRITY_ERROR', `Download of '${filename}' is corrupt (${detail}); it was discarded. Retry.`);
  }
}

/** The endpoint answered, but not like the Hub (no commit / ETag / size headers). */
export class BadResponseError extends HubError {
  constructor(url: string, detail: string) {
    super(
      'BAD_RESPONSE',
      `${url} did not answer like the Hugging Face Hub (${detail}). Check HF_ENDPOINT and any proxy or firewall.`,
    );
  }
}
