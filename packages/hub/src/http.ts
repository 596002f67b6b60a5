// One fetch wrapper for every request to the Hub and its CDN. Written by hand because fetch's own
// redirect handling cannot (a) follow only relative redirects (repo renames) while stopping at absolute
// ones (the LFS/CDN location, as huggingface_hub's HEAD does), nor (b) guarantee that `Authorization` is
// sent to the endpoint's origin only. Errors become the typed errors of errors.ts.
import {
  AuthError,
  EntryNotFoundError,
  GatedRepoError,
  HubError,
  NetworkError,
  RepoNotFoundError,
  type RepoType,
  RevisionNotFoundError,
} from './errors.js';

export interface HttpContext {
  endpoint: string;
  token: string | undefined;
}

export interface HubRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** 'relative': follow same-site redirects only (renamed repos); 'all': follow every redirect. */
  follow: 'relative' | 'all';
  timeoutMs?: number;
  signal?: AbortSignal;
}

const USER_AGENT = 'distilbert.ts-hub/0.1; node';
const MAX_REDIRECTS = 10;

const isRelative = (location: string) =>
  !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) && !location.startsWith('//');

/** Requests `url`, following redirects per `req.follow`; the token only ever goes to the endpoint's origin. */
export async function hubFetch(ctx: HttpContext, url: string, req: HubRequest): Promise<Response> {
  const endpointOrigin = new URL(ctx.endpoint).origin;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...req.headers };
    if (ctx.token && current.origin === endpointOrigin) headers.authorization = `Bearer ${ctx.token}`;
    const signals = [req.signal, req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let res: Response;
    try {
      res = await fetch(current, {
        method: req.method ?? 'GET',
        headers,
        redirect: 'manual',
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
    } catch (err) {
      throw new NetworkError(`Could not reach ${current.host} (${describe(err)})`, err);
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return res;
    if (req.follow === 'relative' && !isRelative(location)) return res;
    if (hop >= MAX_REDIRECTS) throw new HubError('TOO_MANY_REDIRECTS', `Too many redirects from ${url}.`);
    await res.body?.cancel();
    current = new URL(location, current);
  }
}

export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.name === 'TimeoutError' ? 'timed out' : err.message}${cause}`;
}

/** What a request was about, for error messages. */
export interface Subject {
  repoId: string;
  repoType: RepoType;
  revision: string;
  filename?: string;
}

/**
 * Throws the typed error for an error response, from `X-Error-Code` first (as huggingface_hub does),
 * then from the status. 5xx and 429 are NetworkErrors: transient, so a cached copy may be used instead.
 */
export async function throwForStatus(res: Response, subject: Subject): Promise<Response> {
  if (res.status < 400) return res;
  await res.body?.cancel();
  const { repoId, repoType, revision, filename } = subject;
  switch (res.headers.get('x-error-code')) {
    case 'RepoNotFound':
      throw new RepoNotFoundError(repoId, repoType);
    case 'RevisionNotFound':
      throw new RevisionNotFoundError(repoId, revision, repoType);
    case 'EntryNotFound':
      throw new EntryNotFoundError(repoId, filename ?? '', repoType);
    case 'GatedRepo':
      throw new GatedRepoError(repoId, res.status, repoType);
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(repoId, res.status, repoType);
  if (res.status === 404 && filename !== undefined) throw new EntryNotFoundError(repoId, filename, repoType);
  if (res.status === 404) throw new RepoNotFoundError(repoId, repoType);
  const what = `${res.url || repoId} answered HTTP ${res.status}`;
  if (res.status >= 500 || res.status === 429) throw new NetworkError(what);
  throw new HubError('HTTP_ERROR', `${what}${filename ? ` for '${filename}'` : ''}.`);
}
