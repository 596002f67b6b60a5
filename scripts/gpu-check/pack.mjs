// Packs what the GPU check needs into .cache/gpu-check/ (git-ignored), so the GPU machine needs neither
// node_modules nor a build: one bundle per script (our packages, hub and their JS deps inlined), Dawn's
// `webgpu` package and onnxruntime-node (with its WebGPU provider) for linux-x64, their native libraries
// xz-compressed (gpu-check.sh unpacks them), and (with --node) this machine's node binary, xz-compressed.
//   node scripts/gpu-check/pack.mjs [--node]      then carry .cache/gpu-check (and .gl) to the machine.
// Needs the built dist/ of core, hub, backend-gpu and backend-onnx (pnpm build). About 47 MB with --node.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, '.cache/gpu-check');
const require = createRequire(join(ROOT, 'node_modules/.pnpm/node_modules/'));
const esbuild = require('esbuild');

rmSync(join(OUT, 'app'), { recursive: true, force: true }); // node.xz from an earlier --node run is kept
mkdirSync(join(OUT, 'app'), { recursive: true });
await esbuild.build({
  entryPoints: ['adapter', 'parity', 'throughput', 'profile', 'ort', 'export'].map((n) =>
    join(ROOT, `scripts/gpu-check/${n}.mjs`),
  ),
  outdir: join(OUT, 'app'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', 'onnxruntime-node'],
  // CommonJS deps (cli-progress) call require() at run time.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});
const xz = (src, dst) => execFileSync('sh', ['-c', `xz -T2 -6 -c "${src}" > "${dst}"`]);
const modules = join(OUT, 'app/node_modules');

const webgpu = join(ROOT, 'packages/backend-gpu/node_modules/webgpu');
const dest = join(modules, 'webgpu');
mkdirSync(join(dest, 'dist/linux-x64'), { recursive: true });
for (const f of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(dest, f));
xz(join(webgpu, 'dist/linux-x64/dawn.node'), join(dest, 'dist/linux-x64/dawn.node.xz'));

// onnxruntime-node (the export step loads it, ort.mjs runs its WebGPU provider) and onnxruntime-common.
const ort = realpathSync(join(ROOT, 'packages/backend-onnx/node_modules/onnxruntime-node'));
const ortDest = join(modules, 'onnxruntime-node');
const ortBin = 'bin/napi-v6/linux/x64';
mkdirSync(join(ortDest, ortBin), { recursive: true });
copyFileSync(join(ort, 'package.json'), join(ortDest, 'package.json'));
cpSync(join(ort, 'dist'), join(ortDest, 'dist'), { recursive: true });
copyFileSync(
  join(ort, ortBin, 'onnxruntime_binding.node'),
  join(ortDest, ortBin, 'onnxruntime_binding.node'),
);
xz(join(ort, ortBin, 'libonnxruntime.so.1'), join(ortDest, ortBin, 'libonnxruntime.so.1.xz'));
const common = realpathSync(join(ort, '../onnxruntime-common'));
cpSync(common, join(modules, 'onnxruntime-common'), { recursive: true, dereference: true });

// onnx-proto (backend-onnx require()s it at run time, so esbuild cannot inline it) with its dependencies,
// flattened from pnpm's layout (a package's dependencies are its siblings there).
const copyPackage = (dir) => {
  const real = realpathSync(dir);
  const pkg = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8'));
  const to = join(modules, pkg.name);
  if (existsSync(to)) return;
  cpSync(real, to, {
    recursive: true,
    dereference: true,
    filter: (f) => !/[/\\](node_modules|cli|bin)$/.test(f.slice(real.length)),
  });
  const nodeModules = real.slice(0, real.length - pkg.name.length);
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!dep.startsWith('@types/')) copyPackage(join(nodeModules, dep));
  }
};
copyPackage(join(ROOT, 'packages/backend-onnx/node_modules/onnx-proto'));

if (process.argv.includes('--node')) xz(process.execPath, join(OUT, 'node.xz'));
const du = execFileSync('du', ['-sh', OUT]).toString().trim();
console.log(
  `packed ${du}; node.xz: ${existsSync(join(OUT, 'node.xz')) ? statSync(join(OUT, 'node.xz')).size : 'not included'}`,
);
