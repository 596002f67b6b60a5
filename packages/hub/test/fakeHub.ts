// A real HTTP server on 127.0.0.1 that answers like huggingface.co for the requests this package makes,
// plus a second server on another port playing the LFS CDN (another origin = another host for the token).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export const TOKEN = 'hf_test_token_123';

/** A file of a commit: text (a git file) or { lfs } (stored in LFS, served from the CDN). */
export type FakeFile = string | { lfs: Buffer };

export interface FakeRepo {
  /** commit hash → files */
  commits: Record<string, Record<string, FakeFile>>;
  /** branch/tag/PR ref → commit hash */
  refs: Record<string, string>;
  gated?: boolean;
  /** Files need the token; refused with a bare 403 (no X-Error-Code). */
  private?: boolean;
}

type Kind = 'models' | 'datasets';

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export const commitOf = (name: string) => createHash('sha1').update(name).digest('hex');
export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const gitSha1 = (b: Buffer) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${b.length}\0`), b]))
    .digest('hex');

/** Deterministic bytes (a stand-in for weights). */
export function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

export class FakeHub {
  /** Model repos, by id. */
  readonly repos = new Map<string, FakeRepo>();
  /** Dataset repos, by id: served under /api/datasets/… and /datasets/{id}/resolve/…, as the Hub does. */
  readonly datasets = new Map<string, FakeRepo>();
  /** old id → new id: answered with a relative 307, as the Hub does for renamed repos */
  readonly renames = new Map<string, string>();
  readonly requests: LoggedRequest[] = [];
  /** The next `cuts` file bodies are cut after `cutAfter` bytes (connection destroyed). */
  cuts = 0;
  cutAfter = 0;
  /** Serve bodies slowly: `chunk` bytes every `delayMs`. */
  throttle: { chunk: number; delayMs: number } | undefined;
  /** Serve this content instead of the real one for LFS blobs (a corrupt CDN). */
  corrupt = false;
  private hub!: Server;
  private cdn!: Server;
  url = '';
  cdnUrl = '';

  static async start(): Promise<FakeHub> {
    const h = new FakeHub();
    h.hub = createServer((req, res) => h.handle('hub', req, res));
    h.cdn = createServer((req, res) => h.handle('cdn', req, res));
    h.url = await listen(h.hub);
    h.cdnUrl = await listen(h.cdn);
    return h;
  }

  async close(): Promise<void> {
    for (const s of [this.hub, this.cdn]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }

  hubRequests(method?: string) {
    return this.requests.filter((r) => r.server === 'hub' && (!method || r.method === method));
  }
  cdnRequests() {
    return this.requests.filter((r) => r.server === 'cdn');
  }

  private handle(server: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse) {
    this.requests.push({ server, method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    if (server === 'cdn') return this.serveCdn(url, req, res);
    const api = /^\/api\/(models|datasets)\/(.+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) {
      const kind = api[1] === 'datasets' ? 'datasets' : 'models';
      return this.serveRevision(kind, decodeURIComponent(api[2]), decodeURIComponent(api[3]), url, res);
    }
    const at = url.pathname.indexOf('/resolve/');
    if (at > 0) {
      const dataset = url.pathname.startsWith('/datasets/');
      const id = url.pathname.slice(dataset ? '/datasets/'.length : 1, at);
      const [rev, ...file] = url.pathname.slice(at + '/resolve/'.length).split('/');
      return this.serveResolve(
        dataset ? 'datasets' : 'models',
        id,
        decodeURIComponent(rev),
        file.map(decodeURIComponent).join('/'),
        url,
        req,
        res,
      );
    }
    error(res, 404, undefined);
  }

  private repoOf(kind: Kind, id: string) {
    return (kind === 'datasets' ? this.datasets : this.repos).get(id);
  }

  private serveRevision(kind: Kind, id: string, rev: string, url: URL, res: ServerResponse) {
    const renamed = this.renames.get(id);
    if (renamed)
      return redirect(res, 307, `/api/${kind}/${renamed}/revision/${encodeURIComponent(rev)}${url.search}`);
    const repo = this.repoOf(kind, id);
    if (!repo) return error(res, 404, 'RepoNotFound');
    const commit = repo.commits[rev] ? rev : repo.refs[rev];
    if (!commit) return error(res, 404, 'RevisionNotFound');
    const siblings = Object.keys(repo.commits[commit]).map((rfilename) => ({ rfilename }));
    // Like the Hub: with `expand` in the query, only the fields asked for (plus _id and id) come back.
    const expand = url.searchParams.getAll('expand');
    const all: Record<string, unknown> = { sha: commit, private: false, siblings };
    const fields = expand.length ? Object.fromEntries(expand.map((k) => [k, all[k]])) : all;
    const body = JSON.stringify({ _id: `id-${id}`, id, ...fields });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private serveResolve(
    kind: Kind,
    id: string,
    rev: string,
    file: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const renamed = this.renames.get(id);
    const prefix = kind === 'datasets' ? '/datasets' : '';
    if (renamed)
      return redirect(
        res,
        307,
        `${prefix}/${renamed}/resolve/${encodeURIComponent(rev)}/${file}${url.search}`,
      );
    const repo = this.repoOf(kind, id);
    if (!repo) return error(res, 404, 'RepoNotFound');
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    if (repo.gated && !authorized) return error(res, 401, 'GatedRepo');
    if (repo.private && !authorized) return error(res, 403, undefined);
    const commit = repo.commits[rev] ? rev : repo.refs[rev];
    if (!commit) return error(res, 404, 'RevisionNotFound');
    const f = repo.commits[commit][file];
    if (f === undefined) return error(res, 404, 'EntryNotFound', { 'x-repo-commit': commit });
    if (typeof f === 'string') {
      const content = Buffer.from(f);
      // Git files: ETag is the git blob sha1 (weak here, to exercise the W/ stripping).
      return this.serveBody(req, res, content, { 'x-repo-commit': commit, etag: `W/"${gitSha1(content)}"` });
    }
    const oid = sha256(f.lfs);
    res.writeHead(302, {
      location: `${this.cdnUrl}/blobs/${oid}?signature=abc`,
      'x-repo-commit': commit,
      'x-linked-etag': `"${oid}"`,
      'x-linked-size': String(f.lfs.length),
      etag: '"pointer-file-etag"',
      'content-length': '0',
    });
    res.end();
  }

  private serveCdn(url: URL, req: IncomingMessage, res: ServerResponse) {
    const oid = url.pathname.replace('/blobs/', '');
    for (const repo of [...this.repos.values(), ...this.datasets.values()]) {
      for (const files of Object.values(repo.commits)) {
        for (const f of Object.values(files)) {
          if (typeof f !== 'string' && sha256(f.lfs) === oid) {
            const content = this.corrupt ? bytes(f.lfs.length, 99) : f.lfs;
            return this.serveBody(req, res, content, { etag: `"${oid}"` });
          }
        }
      }
    }
    error(res, 404, undefined);
  }

  /** 200 or 206 (Range: bytes=N-), optionally throttled, optionally cut mid-body. */
  private serveBody(
    req: IncomingMessage,
    res: ServerResponse,
    content: Buffer,
    headers: Record<string, string>,
  ) {
    let body = content;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= content.length) {
        res.writeHead(416, { 'content-range': `bytes */${content.length}` });
        return res.end();
      }
      body = content.subarray(start);
      status = 206;
      headers['content-range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length), 'accept-ranges': 'bytes' });
    if (req.method === 'HEAD') return res.end();
    if (this.cuts > 0) {
      this.cuts--;
      const cut = Math.min(this.cutAfter, body.length - 1);
      // Send part of the body, let it reach the client, then drop the connection.
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (!this.throttle) return res.end(body);
    const { chunk, delayMs } = this.throttle;
    let at = 0;
    const pump = () => {
      if (res.destroyed) return;
      if (at >= body.length) return res.end();
      res.write(body.subarray(at, at + chunk));
      at += chunk;
      setTimeout(pump, delayMs);
    };
    pump();
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function redirect(res: ServerResponse, status: number, location: string) {
  res.writeHead(status, { location, 'content-length': '0' });
  res.end();
}

function error(
  res: ServerResponse,
  status: number,
  code: string | undefined,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...extra,
    ...(code ? { 'x-error-code': code, 'x-error-message': code } : {}),
    'content-type': 'application/json',
  });
  res.end(JSON.stringify({ error: code ?? 'Not found' }));
}

/** A fresh temp folder, and HF_HOME pointed at it so nothing reads or writes ~/.cache. */
export function tempHome(): { dir: string; cacheDir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'distilbert-hub-'));
  const saved = { ...process.env };
  for (const k of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_HUB_OFFLINE', 'HF_HUB_CACHE', 'HF_ENDPOINT']) {
    delete process.env[k];
  }
  process.env.HF_HOME = dir;
  process.env.HF_TOKEN_PATH = join(dir, 'token');
  return {
    dir,
    cacheDir: join(dir, 'hub'),
    cleanup() {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FakeHubEnv {
  hub: FakeHub;
  home: ReturnType<typeof tempHome>;
  /** HubOptions for the fake hub and the temp cache. */
  opts(): { endpoint: string; cacheDir: string };
}

/**
 * Per test: a temp HF_HOME (tempHome) and a started FakeHub that `setup` fills; the hub is closed and the
 * folder removed after each test. Read `hub`/`home` inside tests (they are new for every test).
 */
export function useFakeHub(setup: (hub: FakeHub) => void): FakeHubEnv {
  const env = { opts: () => ({ endpoint: env.hub.url, cacheDir: env.home.cacheDir }) } as FakeHubEnv;
  beforeEach(async () => {
    env.home = tempHome();
    env.hub = await FakeHub.start();
    setup(env.hub);
  });
  afterEach(async () => {
    await env.hub.close();
    env.home.cleanup();
  });
  return env;
}
