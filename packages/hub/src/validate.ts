// Names that come from callers or from a repo end up joined onto cache paths: check them first.
// (@huggingface/hub has the same filename check but does not export it.)
import { BadFilenameError, BadRepoIdError, HubError, type RepoType } from './errors.js';

/** A repo filename must stay inside the folder it is joined onto, on POSIX and on Windows. */
export function validateFilename(filename: string): void {
  if (filename === '' || filename.includes('\0'))
    throw new BadFilenameError(filename, 'empty or contains NUL');
  if (filename.includes('\\')) {
    throw new BadFilenameError(filename, 'backslashes are path separators on Windows; use "/"');
  }
  if (filename.startsWith('/') || /^[a-zA-Z]:/.test(filename)) {
    throw new BadFilenameError(filename, 'absolute or drive paths are not repo filenames');
  }
  const parts = filename.split('/');
  if (parts.some((p) => p === '..'))
    throw new BadFilenameError(filename, 'a ".." segment would leave the folder');
  if (parts.some((p) => p === '' || p === '.')) {
    throw new BadFilenameError(filename, 'empty or "." path segments are not repo filenames');
  }
  if (parts.some((p) => /^[a-zA-Z]:/.test(p))) {
    throw new BadFilenameError(filename, 'drive-like segments escape the folder on Windows');
  }
}

/** Python's `validate_repo_id`: `name` or `org/name`, [\w.-]{1,96} each, no `--`/`..`, no `.git` suffix. */
export function validateRepoId(id: string, repoType: RepoType = 'model'): void {
  const parts = id.split('/');
  if (parts.length > 2) throw new BadRepoIdError(id, 'more than one "/"', repoType);
  if (!parts.every((p) => /^[\w.-]{1,96}$/.test(p))) {
    throw new BadRepoIdError(
      id,
      'only letters, digits, "-", "_" and "." are allowed, 96 at most per part',
      repoType,
    );
  }
  if (id.includes('--') || id.includes('..'))
    throw new BadRepoIdError(id, '"--" and ".." are not allowed', repoType);
  if (id.endsWith('.git') || /^[-.]|[-.]$/.test(parts[parts.length - 1])) {
    throw new BadRepoIdError(id, 'a name cannot start or end with "-" or "." nor end with ".git"', repoType);
  }
}

/** Revisions are stored under refs/{revision} (e.g. refs/refs/pr/1): same rules as filenames. */
export function validateRevision(revision: string): void {
  try {
    validateFilename(revision);
  } catch (err) {
    if (!(err instanceof BadFilenameError)) throw err;
    throw new HubError('BAD_REVISION', `Refusing revision '${revision}': use a branch, tag or commit hash.`);
  }
}
