// The HEAD request huggingface_hub makes before every download. Hand-written: @huggingface/hub's
// fileDownloadInfo sends a ranged GET instead, reads no X-Repo-Commit and follows the CDN redirect.
import { BadResponseError, type RepoType } from './errors.js';
import { type HttpContext, hubFetch, throwForStatus } from './http.js';

export interface FileMetadata {
  /** X-Repo-Commit: the commit the file was served from. */
  commit: string;
  /** X-Linked-Etag or ETag, without W/ and quotes: sha256 for LFS files, git blob sha1 otherwise. */
  etag: string;
  /** X-Linked-Size or Content-Length. */
  size: number;
  /** Where to GET the bytes: the CDN for LFS files (absolute redirect), else the resolve URL. */
  location: string;
}

/** `W/"abc"` → `abc`, like huggingface_hub's `_normalize_etag`. */
export const normalizeEtag = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

/**
 * `{endpoint}/{id}/resolve/{revision}/{filename}` (`{endpoint}/datasets/{id}/…` for a dataset, as
 * huggingface_hub's hf_hub_url), with the revision URL-encoded (`refs%2Fpr%2F1`).
 */
export function resolveUrl(
  endpoint: string,
  repoType: RepoType,
  repoId: string,
  revision: string,
  filename: string,
): string {
  const path = filename.split('/').map(encodeURIComponent).join('/');
  const prefix = repoType === 'dataset' ? 'datasets/' : '';
  return `${endpoint}/${prefix}${repoId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

export async function fileMetadata(
  ctx: HttpContext & { etagTimeoutMs: number; repoType: RepoType },
  repoId: string,
  revision: string,
  filename: string,
): Promise<FileMetadata> {
  const url = resolveUrl(ctx.endpoint, ctx.repoType, repoId, revision, filename);
  const res = await throwForStatus(
    await hubFetch(ctx, url, {
      method: 'HEAD',
      // identity: Content-Length must be the file size, not a compressed size.
      headers: { 'accept-encoding': 'identity' },
      follow: 'relative',
      timeoutMs: ctx.etagTimeoutMs,
    }),
    { repoId, repoType: ctx.repoType, revision, filename },
  );
  const commit = res.headers.get('x-repo-commit');
  const etag = res.headers.get('x-linked-etag') ?? res.headers.get('etag');
  const size = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length') ?? Number.NaN);
  if (!commit) throw new BadResponseError(url, 'no X-Repo-Commit header');
  if (!etag) throw new BadResponseError(url, 'no ETag header');
  // The ETag names the blob file: it must not be able to point anywhere else.
  if (!/^[\w.-]{1,128}$/.test(normalizeEtag(etag)) || /^\.+$/.test(normalizeEtag(etag))) {
    throw new BadResponseError(url, `unusable ETag ${JSON.stringify(etag)}`);
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new BadResponseError(url, 'no file size header');
  const redirect = res.status >= 300 && res.status <= 399 ? res.headers.get('location') : null;
  return {
    commit,
    etag: normalizeEtag(etag),
    size,
    location: redirect ? new URL(redirect, res.url || url).href : res.url || url,
  };
}
