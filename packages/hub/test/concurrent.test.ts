// Two processes downloading the same file at once end with one good copy (and one download).
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, expect, it } from 'vitest';
import { resolve } from '../src/index.js';
import { bytes, commitOf, sha256, useFakeHub } from './fakeHub.js';

const run = promisify(execFile);
const C = commitOf('c');
const WEIGHTS = bytes(640_000, 3);
const OID = sha256(WEIGHTS);
const pkg = fileURLToPath(new URL('..', import.meta.url));

let build: string;

// Child processes run plain Node, so the TypeScript sources are transpiled (types stripped) once.
beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), 'distilbert-hub-build-'));
  mkdirSync(join(build, 'src'));
  for (const f of readdirSync(join(pkg, 'src'))) {
    const source = readFileSync(join(pkg, 'src', f), 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(join(build, 'src', f.replace(/\.ts$/, '.js')), out.outputText);
  }
  writeFileSync(join(build, 'package.json'), '{"type": "module"}');
  symlinkSync(join(pkg, 'node_modules'), join(build, 'node_modules'));
  writeFileSync(
    join(build, 'child.js'),
    `import { resolve } from './src/index.js';
const [endpoint, cacheDir] = process.argv.slice(2);
process.stdout.write(await resolve('org/w', 'model.safetensors', { endpoint, cacheDir }));`,
  );
  return () => rmSync(build, { recursive: true, force: true });
});

const fake = useFakeHub((hub) => {
  hub.repos.set('org/w', { commits: { [C]: { 'model.safetensors': { lfs: WEIGHTS } } }, refs: { main: C } });
});
it('two processes fetching one file at once: one download, one good copy, nothing left over', async () => {
  fake.hub.throttle = { chunk: 32_000, delayMs: 50 }; // ~1 s download, so the two overlap
  const child = () => run(process.execPath, [join(build, 'child.js'), fake.hub.url, fake.home.cacheDir]);
  const [a, b] = await Promise.all([child(), child()]);
  expect(a.stdout).toBe(b.stdout);
  expect(sha256(readFileSync(a.stdout))).toBe(OID);
  expect(fake.hub.hubRequests('HEAD')).toHaveLength(2);
  expect(fake.hub.cdnRequests()).toHaveLength(1);
  const folder = join(fake.home.cacheDir, 'models--org--w');
  expect(readdirSync(join(folder, 'blobs'))).toEqual([OID]);
  expect(readdirSync(join(folder, 'snapshots', C))).toEqual(['model.safetensors']);
  expect(readdirSync(join(fake.home.cacheDir, '.locks', 'models--org--w'))).toEqual([]);
});

it('takes over the lock of a process that died mid-download', async () => {
  const dead = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const locks = join(fake.home.cacheDir, '.locks', 'models--org--w');
  mkdirSync(locks, { recursive: true });
  writeFileSync(join(locks, `${OID}.lock`), `${dead.stdout} ${hostname()}`);
  const p = await resolve('org/w', 'model.safetensors', fake.opts());
  expect(sha256(readFileSync(p))).toBe(OID);
});

it('is not blocked by an old empty lock file, as Python filelock leaves behind', async () => {
  const locks = join(fake.home.cacheDir, '.locks', 'models--org--w');
  mkdirSync(locks, { recursive: true });
  const lock = join(locks, `${OID}.lock`);
  writeFileSync(lock, '');
  const old = Date.now() / 1000 - 120;
  utimesSync(lock, old, old);
  const p = await resolve('org/w', 'model.safetensors', fake.opts());
  expect(sha256(readFileSync(p))).toBe(OID);
  expect(readdirSync(locks)).toEqual([]);
});
