// Downloads one blob into the cache. Hand-written because @huggingface/hub's downloadFileToCacheDir
// neither resumes (`Range`), nor checks size or sha256, nor locks across processes, nor reports progress.
// Invariant: blobs/{etag} only ever appears by an atomic rename of a complete, verified file; partial
// bytes live in blobs/{etag}.incomplete (as in huggingface_hub), where no load ever looks.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IntegrityError, NetworkError } from './errors.js';
import { describe, type HttpContext, hubFetch, type Subject, throwForStatus } from './http.js';
import { type Lock, withLock } from './lock.js';
import type { ProgressEvent } from './settings.js';

export interface BlobRequest {
  /** Download location from the HEAD (CDN or resolve URL). */
  url: string;
  blobPath: string;
  lockPath: string;
  etag: string;
  size: number;
  subject: Subject & { filename: string };
  retries: number;
  downloadTimeoutMs: number;
  onProgress: ((event: ProgressEvent) => void) | undefined;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const sizeOf = (p: string) =>
  stat(p).then(
    (s) => s.size,
    () => 0,
  );

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Ensures blobs/{etag} exists and is complete. Safe to call from several processes at once. */
export async function downloadBlob(ctx: HttpContext, req: BlobRequest): Promise<void> {
  if (await exists(req.blobPath)) return;
  await mkdir(dirname(req.blobPath), { recursive: true });
  const partial = `${req.blobPath}.incomplete`;
  await withLock(req.lockPath, partial, async (lock) => {
    if (await exists(req.blobPath)) return; // another process finished it while we waited
    for (let attempt = 0; ; attempt++) {
      try {
        await fetchInto(ctx, req, partial, lock);
        break;
      } catch (err) {
        // Only a cut connection is retried (resuming from what is on disk); HTTP errors are final.
        if (!(err instanceof NetworkError) || attempt >= req.retries) throw err;
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
    await verify(req, partial);
    await rename(partial, req.blobPath);
  });
}

/** Appends the missing bytes of the file to `partial`, from its current size on. */
async function fetchInto(ctx: HttpContext, req: BlobRequest, partial: string, lock: Lock): Promise<void> {
  let start = await sizeOf(partial);
  if (start > req.size) {
    await truncate(partial, 0);
    start = 0;
  }
  const report = (loaded: number) =>
    req.onProgress?.({ file: req.subject.filename, loaded, total: req.size });
  if (start === req.size && start > 0) return report(start);

  // Stall timeout: aborts when no byte arrives for downloadTimeoutMs, however long the whole file takes.
  const stall = new AbortController();
  let timer = setTimeout(() => stall.abort(), req.downloadTimeoutMs);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), req.downloadTimeoutMs);
  };
  try {
    let res = await hubFetch(ctx, req.url, {
      headers: { 'accept-encoding': 'identity', ...(start > 0 ? { range: `bytes=${start}-` } : {}) },
      follow: 'all', // the CDN may redirect again; hubFetch drops the token on other hosts
      signal: stall.signal,
    });
    if (res.status === 416) {
      // Range not satisfiable: the partial file is not a prefix of this blob; start over.
      await res.body?.cancel();
      await truncate(partial, 0);
      start = 0;
      res = await hubFetch(ctx, req.url, {
        headers: { 'accept-encoding': 'identity' },
        follow: 'all',
        signal: stall.signal,
      });
    }
    await throwForStatus(res, req.subject);
    if (
      start > 0 &&
      (res.status !== 206 || !res.headers.get('content-range')?.startsWith(`bytes ${start}-`))
    ) {
      start = 0; // server ignored the Range: take the whole body
    }
    if (!res.body) throw new NetworkError(`Empty response body for '${req.subject.filename}'`);
    const reader = res.body.getReader();
    const fh = await open(partial, start > 0 ? 'a' : 'w');
    let loaded = start;
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (err) {
          // Only read errors are network cuts (retried); a failing disk write is not.
          throw new NetworkError(
            `Download of '${req.subject.filename}' was cut at ${loaded}/${req.size} bytes (${describe(err)})`,
            err,
          );
        }
        if (next.done) break;
        kick();
        await fh.write(next.value);
        loaded += next.value.byteLength;
        lock.heartbeat();
        report(loaded);
      }
    } finally {
      await fh.close();
      await reader.cancel().catch(() => {}); // frees the socket when we stop early
    }
    if (loaded < req.size) {
      throw new NetworkError(
        `Download of '${req.subject.filename}' ended early at ${loaded}/${req.size} bytes`,
      );
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Size against the HEAD's size; sha256 when the ETag is one (LFS files). A bad file is deleted. */
async function verify(req: BlobRequest, partial: string): Promise<void> {
  const size = await sizeOf(partial);
  let problem: string | undefined;
  if (size !== req.size) problem = `${size} bytes, expected ${req.size}`;
  else if (/^[0-9a-f]{64}$/.test(req.etag)) {
    const actual = await sha256(partial);
    if (actual !== req.etag) problem = `sha256 ${actual}, expected ${req.etag}`;
  }
  if (problem) {
    await rm(partial, { force: true });
    throw new IntegrityError(req.subject.filename, problem);
  }
}
