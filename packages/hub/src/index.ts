// PLACEHOLDER API (local folders only) so dependants can build against the final signatures.
// The hub helper replaces this with the real implementation behind the same exports.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface HubOptions {
  /** Branch, tag or commit (default 'main'). */
  revision?: string;
  /** Hub cache folder (default: HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub). */
  cacheDir?: string;
  /** Access token (default: HF_TOKEN, then the token file). */
  token?: string;
  /** Resolve from the cache only (default: HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Bytes done/total per file while downloading. */
  onProgress?: (event: { file: string; loaded: number; total: number | undefined }) => void;
  /** Hub endpoint (default: HF_ENDPOINT or https://huggingface.co). */
  endpoint?: string;
}

/** The files of one model repo (or local folder), all from one commit. */
export interface RepoFiles {
  /** The id or folder it was opened with. */
  readonly id: string;
  /** The commit the revision resolved to (undefined for a local folder). */
  readonly commit: string | undefined;
  readonly isLocal: boolean;
  /** Local path of `filename`; throws EntryNotFoundError when the repo has no such file. */
  path(filename: string): Promise<string>;
  /** Local path of `filename`, or null when the repo has no such file. */
  optionalPath(filename: string): Promise<string | null>;
}

export class HubError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class EntryNotFoundError extends HubError {
  constructor(id: string, file: string) {
    super('ENTRY_NOT_FOUND', `${id} has no file '${file}'.`);
  }
}

/** Opens a Hub model id or a local folder. A folder is used as is, with no network access. */
export async function openRepo(idOrPath: string, _options: HubOptions = {}): Promise<RepoFiles> {
  if (!existsSync(idOrPath) || !statSync(idOrPath).isDirectory()) {
    throw new HubError('NOT_IMPLEMENTED', `Hub downloads are not implemented yet (${idOrPath}).`);
  }
  const optionalPath = async (f: string) => (existsSync(join(idOrPath, f)) ? join(idOrPath, f) : null);
  return {
    id: idOrPath,
    commit: undefined,
    isLocal: true,
    optionalPath,
    async path(f) {
      const p = await optionalPath(f);
      if (!p) throw new EntryNotFoundError(idOrPath, f);
      return p;
    },
  };
}

/** Local path of one file of a repo or folder. */
export async function resolve(idOrPath: string, filename: string, options: HubOptions = {}): Promise<string> {
  return (await openRepo(idOrPath, options)).path(filename);
}
