// @distilbert/hub: model files from the Hugging Face Hub or a local folder, in huggingface_hub's cache.

export {
  AuthError,
  BadFilenameError,
  BadRepoIdError,
  BadRepoTypeError,
  BadResponseError,
  EntryNotFoundError,
  GatedRepoError,
  HubError,
  IntegrityError,
  NetworkError,
  OfflineNotCachedError,
  RepoNotFoundError,
  type RepoType,
  RevisionNotFoundError,
} from './errors.js';
export { type CliProgress, type CliProgressOptions, cliProgress, formatBytes } from './progress.js';
export { openRepo, type RepoFiles, resolve } from './repo.js';
export type { HubOptions, ProgressEvent } from './settings.js';
export { type SnapshotOptions, snapshot } from './snapshot.js';
