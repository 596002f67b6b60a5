// Options and environment variables, with the same names and defaults as Python's huggingface_hub.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getHFHubCachePath, HUB_URL } from '@huggingface/hub';
import { BadRepoTypeError, type RepoType } from './errors.js';

/** Bytes done/total of one file while it downloads. */
export interface ProgressEvent {
  file: string;
  loaded: number;
  total: number | undefined;
}

export interface HubOptions {
  /**
   * Kind of Hub repo the id names (default 'model'), as huggingface_hub's `repo_type`: a dataset is
   * fetched from `{endpoint}/datasets/{id}/…` and cached under `datasets--{org}--{name}`.
   */
  repoType?: RepoType;
  /** Branch, tag or commit (default 'main'). */
  revision?: string;
  /** Hub cache folder (default: HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub). */
  cacheDir?: string;
  /** Access token (default: HF_TOKEN, then the token file HF_TOKEN_PATH / $HF_HOME/token). */
  token?: string;
  /** Resolve from the cache only (default: HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Bytes done/total per file while downloading. */
  onProgress?: (event: ProgressEvent) => void;
  /** Hub endpoint (default: HF_ENDPOINT or https://huggingface.co). */
  endpoint?: string;
  /** Times a download cut mid-file is resumed with `Range` before giving up (default 5). */
  retries?: number;
}

export interface Settings {
  repoType: RepoType;
  endpoint: string;
  cacheDir: string;
  token: string | undefined;
  offline: boolean;
  retries: number;
  /** Timeout of the metadata requests (HEAD, revision), ms. */
  etagTimeoutMs: number;
  /** Longest pause between two chunks of a download, ms. */
  downloadTimeoutMs: number;
  onProgress: ((event: ProgressEvent) => void) | undefined;
}

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

/** Python's `_is_true`: 1/ON/YES/TRUE, any case. */
const isTrue = (v: string | undefined) =>
  v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.toUpperCase());

const hfHome = () =>
  env('HF_HOME') ?? join(env('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface');

function tokenFromEnv(): string | undefined {
  const direct = env('HF_TOKEN') ?? env('HUGGING_FACE_HUB_TOKEN');
  if (direct) return direct.trim();
  try {
    const fromFile = readFileSync(env('HF_TOKEN_PATH') ?? join(hfHome(), 'token'), 'utf8').trim();
    return fromFile || undefined;
  } catch {
    return undefined; // no token file: anonymous access
  }
}

const seconds = (name: string, fallback: number) => {
  const v = Number(env(name));
  return (Number.isFinite(v) && v > 0 ? v : fallback) * 1000;
};

export function settings(options: HubOptions): Settings {
  const repoType = options.repoType ?? 'model';
  // Checked at run time too: a JS caller could pass 'space', which this package does not read.
  if (repoType !== 'model' && repoType !== 'dataset') throw new BadRepoTypeError(repoType);
  return {
    repoType,
    endpoint: (options.endpoint ?? env('HF_ENDPOINT') ?? HUB_URL).replace(/\/+$/, ''),
    // getHFHubCachePath reads HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME and XDG_CACHE_HOME like Python.
    cacheDir: options.cacheDir ?? getHFHubCachePath(),
    token: options.token ?? tokenFromEnv(),
    offline: options.offline ?? isTrue(env('HF_HUB_OFFLINE')),
    retries: options.retries ?? 5,
    etagTimeoutMs: seconds('HF_HUB_ETAG_TIMEOUT', 10),
    downloadTimeoutMs: seconds('HF_HUB_DOWNLOAD_TIMEOUT', 10),
    onProgress: options.onProgress,
  };
}
